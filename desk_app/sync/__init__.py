"""Sync with the team's PostgreSQL database: server schema, connection, push, pull,
merge, ticket-number blocks and verification. Sits between storage and services."""
