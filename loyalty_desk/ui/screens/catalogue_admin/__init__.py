"""The reward catalogue for administrators: every reward with its stock at each branch,
a form to add or edit a reward, and "Record stock received" at a branch.

The screen only collects input and shows outcomes: ``RedemptionService`` checks the role and
every field, and audits each change. Field errors are shown under their field, others in the banner."""
