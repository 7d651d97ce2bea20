"""Evidence kept with a case: checked, sealed attachments, and the phone upload server."""
