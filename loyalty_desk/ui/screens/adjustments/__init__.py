"""Manual adjustments on the desk: the request dialog (from the member view), the
"Supervisor approval" dialog (a supervisor signs in with their own credentials at the maker's
desk), the member view's pending-requests panel, and the supervisors' approvals queue.

The screens only collect input and show outcomes: the adjustment service checks every rule
(limits, roles, supervisor of the branch, not the maker, active). Limits are checked as the
officer types with the same domain rules the service applies."""
