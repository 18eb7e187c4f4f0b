"""Talkies: self-hosted audience reactions for film and TV publications."""
