"""The runtime: channels, dispatcher, command line."""
