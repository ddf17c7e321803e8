"""Development: `make run`. DEBUG on, a throwaway secret, SQLite unless DATABASE_URL is set."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# A secret is required unless DEBUG is on.
SECRET_KEY = (
    env("SECRET_KEY", default="insecure-development-key-not-for-production")
    if DEBUG
    else env("SECRET_KEY")
)
