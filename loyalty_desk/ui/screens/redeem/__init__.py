"""Redemption screen (opened from the member view, F4): the catalogue for this member with the exact
rule that blocks each reward, quantity, points before and after, confirmation with Enter, and — for
supervisors — reversal.

A walk-in's redemption is F4, ↑/↓ to the reward, Enter, Enter: the receipt (the PDF from
``documents.receipts``) prints at once on the desk's receipt printer (``ui/printing.py``; chosen once
in Settings or with F9 here, no print dialog), and the desk goes back to an empty lookup box for the
next card, saying what was redeemed and printed. With no receipt printer chosen (or the chosen one
gone) the screen stays, says so and offers the choice (F9); the receipt prints once one is chosen.
The preview with Print (system dialog) and Save as PDF opens only when asked for: Ctrl+P (the
last receipt) and Reprint receipt. Every print or saved copy is audited
(``RedemptionService.record_receipt_print``).

Keyboard: ↑/↓ choose a reward, Alt+Q quantity, Enter confirm (Enter again redeems), F9 receipt
printer, Ctrl+P preview the last receipt, Esc back to the member. Everything that touches the
store runs on the task runner."""
