"""The benchmark: pages measured through the production middleware stack against a bare view."""
