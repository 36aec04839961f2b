"""The response guarantee: acknowledge, hand to staff, escalate, remind, close kindly, reopen (guarantee);
proposed answers the asker confirms (proposals); the figures of the response ledger (metrics)."""
