"""Who acts: staff accounts and sign-in, the signed-in member (identity), role checks and the audit trail."""
