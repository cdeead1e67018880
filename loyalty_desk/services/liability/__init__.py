"""The month-end points liability (finance, auditors): for a month, per home branch and tier, the
opening open lot balances + issued - redeemed - expired +/- adjusted = closing, in points and in
CNY at the programme's point value; the closing checked against the lots at the month's end; the
points due to expire in each of the next 12 months; and the breakage estimate (expired / issued
over the last 24 months). Service in ``service.py``, what it returns in ``dto.py``, the
aggregates in ``store.repositories.liability``; the workbook and PDF in ``documents.liability``.
"""
