"""Names of the environment variables the runner hands to workers (kept apart from celeryconfig,
which must only be imported after they are set)."""
BROKER_ENV = "CLASSROOM_BROKER_URL"
BACKEND_ENV = "CLASSROOM_RESULT_BACKEND"
NAMESPACE_ENV = "CLASSROOM_NAMESPACE"
