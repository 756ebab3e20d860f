"""The domain conversations. Channel-agnostic: they receive an Incoming message and return Replies."""
