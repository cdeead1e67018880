"""The demo generator: a store full of believable members, history, referrals and a reward catalogue."""
