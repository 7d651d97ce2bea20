"""The desk's services: one class per concept over one Store, reached as desk.<concept>."""
