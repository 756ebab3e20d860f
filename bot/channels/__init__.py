"""Channels turn platform events into Incoming messages and render Replies back."""
