"""Signed, expiring RSVP links: bound to one invitation, its meeting and its person."""

from datetime import timedelta

from django.core import signing

SALT = "networks.rsvp"
MAX_AGE = timedelta(days=60)


class InvalidToken(Exception):
    pass


def make_rsvp_token(invitation):
    return signing.dumps(
        {"i": invitation.pk, "m": invitation.meeting_id, "u": invitation.user_id},
        salt=SALT,
        compress=True,
    )


def read_rsvp_token(token, invitation):
    """Raise InvalidToken unless the token was issued for exactly this invitation."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired as error:
        raise InvalidToken("expired") from error
    except signing.BadSignature as error:
        raise InvalidToken("forged") from error
    expected = {"i": invitation.pk, "m": invitation.meeting_id, "u": invitation.user_id}
    if data != expected:
        raise InvalidToken("other")
    return data


def token_names_invitation(token, invitation_id):
    """True when the token is genuine (even if expired) and was issued for this invitation id."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return False
    return data.get("i") == invitation_id
