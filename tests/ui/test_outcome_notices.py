"""An officer sees what became of their own adjustment requests: a count, then the list, marked seen."""

from __future__ import annotations


def _file(desk_data, session, points=300):
    adjustments = desk_data.services.adjustments
    return adjustments.request(
        operation_id=adjustments.new_operation_id(), session=session, member_no=desk_data.zhang,
        direction="credit", points=points, reason_code="goodwill", memo="Client waited an hour at the counter",
    )


def _reject(desk_data, request_id, note):
    adjustments = desk_data.services.adjustments
    adjustments.reject(operation_id=adjustments.new_operation_id(), request_id=request_id, note=note, session=desk_data.supervisor)


def test_a_decision_on_my_request_shows_as_a_count_and_the_list_marks_it_seen(qtbot, main_window, desk_data):
    button = main_window.outcomes_button
    qtbot.waitUntil(lambda: main_window.outcome_notices.outcomes == () and not main_window.outcome_notices.reading)
    assert button.text() == "My requests"
    approved = _file(desk_data, desk_data.officer)
    rejected = _file(desk_data, desk_data.officer, points=200)
    _file(desk_data, desk_data.officer2)  # another officer's request is not mine to see
    adjustments = desk_data.services.adjustments
    adjustments.approve(operation_id=adjustments.new_operation_id(), request_id=approved.request_id, session=desk_data.supervisor)
    _reject(desk_data, rejected.request_id, "No record of the complaint ticket")

    # written behind the window's back (another desk's decision arriving through the feed looks the same)
    main_window.store_watch.check()
    qtbot.waitUntil(lambda: button.text() == "2 new outcome(s)", timeout=10_000)

    button.click()
    dialog = button.dialog
    qtbot.waitUntil(dialog.isVisible)
    rows = {
        dialog.table.item(row, 0).text(): [dialog.table.item(row, c).text() for c in range(7)] for row in range(dialog.table.rowCount())
    }
    assert set(rows) == {f"● {approved.request_id}", f"● {rejected.request_id}"}
    rejected_row = rows[f"● {rejected.request_id}"]
    assert rejected_row[1] == "Rejected"
    assert rejected_row[5] == "刘强"
    assert rejected_row[6] == "No record of the complaint ticket"
    assert rows[f"● {approved.request_id}"][1] == "Approved"
    dialog.reject()
    assert button.text() == "My requests"  # seen: the count is gone
    assert desk_data.services is main_window.services
    assert main_window.settings.seen_outcomes("officer1") == {approved.request_id, rejected.request_id}


def test_an_expired_request_counts_and_a_new_decision_counts_again(qtbot, main_window, desk_data):
    button = main_window.outcomes_button
    first = _file(desk_data, desk_data.officer)
    _reject(desk_data, first.request_id, "Duplicate of an earlier request")
    main_window.store_watch.check()
    qtbot.waitUntil(lambda: button.text() == "1 new outcome(s)", timeout=10_000)
    main_window.outcome_notices.mark_seen()
    assert button.text() == "My requests"

    late = _file(desk_data, desk_data.officer)
    desk_data.store.clock.advance(days=3)
    desk_data.services.adjustments.expire_due()
    main_window.store_watch.check()
    qtbot.waitUntil(lambda: button.text() == "1 new outcome(s)", timeout=10_000)
    assert [o.status for o in main_window.outcome_notices.unseen] == ["expired"]
    assert main_window.outcome_notices.unseen[0].request_id == late.request_id


def test_roles_that_make_no_requests_have_no_outcome_notices(qtbot, desk_data, runner, desk_settings):
    from factories import add_staff

    from loyalty_desk.ui.main_window import MainWindow
    from loyalty_desk.ui.registry import default_registry

    auditor = add_staff(desk_data.store.context, username="audit1", display_name="周敏", role="auditor")
    window = MainWindow(desk_data.services, auditor, runner, desk_settings, default_registry())
    qtbot.addWidget(window)
    assert window.outcome_notices is None
