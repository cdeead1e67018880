"""Referrals on the desk: the registration form (from the member view, checked as the
officer types), the member's referral panel (code, made and received, a two-level tree), the
branch referral list with filters and an Excel export, and the supervisor's flagged list (evidence,
clear or reject with a note).

The screens only collect input and show outcomes: the referral service applies every rule."""
