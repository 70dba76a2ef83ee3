"""Signing in to the web back office: web accounts and their passwords, one-time codes, server-side
sessions, slowing down and locking out repeated failures, CSRF tokens, and the role checks every page
calls. Plain Python over the till's database, with no web framework: pos/web only calls it."""
