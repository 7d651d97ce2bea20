"""Services of the desk: one class per concept, reached as desk.<concept>."""
