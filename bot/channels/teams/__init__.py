"""The Teams channel: the Bot Framework endpoint on the Microsoft 365 Agents SDK, Adaptive Cards, proactive sends."""
