"""Adapters at the edge: GitHub in its own shapes (REST, GraphQL, webhook payloads, snapshot folders)."""
