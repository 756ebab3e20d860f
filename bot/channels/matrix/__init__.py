"""The Matrix channel: encrypted direct chats with registered professionals through matrix-nio."""
