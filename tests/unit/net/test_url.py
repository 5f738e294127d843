"""URL checks: hostile spellings are refused with a stable reason or normalised to what is reached."""

from __future__ import annotations

import pytest

from toolbox.core.net import FetchRefused, parse_url
from toolbox.core.net.errors import FetchReason


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/", FetchReason.NOT_HTTP),
        ("file:///etc/passwd", FetchReason.NOT_HTTP),
        ("gopher://example.com:70/", FetchReason.NOT_HTTP),
        ("javascript:alert(1)", FetchReason.NOT_HTTP),
        ("example.com/path", FetchReason.NOT_ABSOLUTE),
        ("http:example.com", FetchReason.NOT_ABSOLUTE),
        ("http:/example.com", FetchReason.NOT_ABSOLUTE),
        ("//example.com/", FetchReason.NOT_ABSOLUTE),
        ("http://user:pass@example.com/", FetchReason.USERINFO),
        ("http://@example.com/", FetchReason.USERINFO),
        ("http://example.com@10.0.0.1/", FetchReason.USERINFO),
        ("http://exa mple.com/", FetchReason.CONTROL),
        ("http://example.com/\x00", FetchReason.CONTROL),
        ("http://exa\tmple.com/", FetchReason.CONTROL),
        ("http://example.com\r\nX: y/", FetchReason.CONTROL),
        ("http://example.com\u200b/", FetchReason.CONTROL),  # zero-width space (category Cf)
        ("http://example.com\u00a0/", FetchReason.CONTROL),  # no-break space
        ("http://example.com\x7f/", FetchReason.CONTROL),
        ("http://example.com\\@10.0.0.1/", FetchReason.BACKSLASH),
        ("http:\\\\example.com/", FetchReason.BACKSLASH),
        ("http://%31%32%37.0.0.1/", FetchReason.PERCENT_HOST),
        ("http://exam%70le.com/", FetchReason.PERCENT_HOST),
        ("http://[fe80::1%25eth0]/", FetchReason.ZONE_ID),
        ("http://[fe80::1%eth0]/", FetchReason.ZONE_ID),
        ("http://[::1/", FetchReason.BAD_IPV6),
        ("http://[not-v6]/", FetchReason.BAD_IPV6),
        ("http://[::1]x/", FetchReason.BAD_IPV6),
        ("http:///path", FetchReason.NO_HOST),
        ("http://:80/", FetchReason.NO_HOST),
        ("http://example.com:abc/", FetchReason.BAD_PORT),
        ("http://example.com:0/", FetchReason.BAD_PORT),
        ("http://example.com:65536/", FetchReason.BAD_PORT),
        ("http://example.com:+80/", FetchReason.BAD_PORT),
        ("http://example.com:80:80/", FetchReason.BAD_HOST),
        ("http://::1/", FetchReason.BAD_HOST),
        ("http://1.2.3.4.5/", FetchReason.BAD_IPV4),
        ("http://example.123/", FetchReason.BAD_IPV4),
        ("http://256.0.0.1/", FetchReason.BAD_IPV4),
        ("http://0x100000000/", FetchReason.BAD_IPV4),
        ("http://09.0.0.1/", FetchReason.BAD_IPV4),
        ("http://exa_mple-.com/", FetchReason.BAD_HOST),
        ("http://-example.com/", FetchReason.BAD_HOST),
        ("http://a..b/", FetchReason.BAD_HOST),
        ("http://xn--zz.com/", FetchReason.BAD_HOST),
        ("http://exa<mple.com/", FetchReason.BAD_HOST),
        ("http://example.com\uff0fevil/", FetchReason.BAD_HOST),  # full-width solidus maps to "/"
        ("http://evil\uff20example.com/", FetchReason.BAD_HOST),  # full-width commercial at maps to "@"
        ("http://" + "a" * 64 + ".com/", FetchReason.BAD_HOST),
        ("http://example.com/" + "a" * 9000, FetchReason.TOO_LONG),
    ],
)
def test_hostile_urls_are_refused_with_a_stable_reason(url: str, reason: str) -> None:
    with pytest.raises(FetchRefused) as caught:
        parse_url(url)
    assert caught.value.why is reason


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://2130706433/", "127.0.0.1"),
        ("http://0x7f.1/", "127.0.0.1"),
        ("http://017700000001/", "127.0.0.1"),
        ("http://0177.0.0.1/", "127.0.0.1"),
        ("http://0x7F000001/", "127.0.0.1"),
        ("http://127.1/", "127.0.0.1"),
        ("http://127.0.0.1./", "127.0.0.1"),
        ("http://0/", "0.0.0.0"),
        ("http://10.0.0.0x1/", "10.0.0.1"),
        ("http://\uff11\uff12\uff17.0.0.1/", "127.0.0.1"),  # full-width digits
        ("http://[::ffff:127.0.0.1]/", "::ffff:7f00:1"),
        ("http://[0:0:0:0:0:0:0:1]/", "::1"),
        ("http://[::FFFF:7F00:1]/", "::ffff:7f00:1"),
    ],
)
def test_numeric_hosts_are_normalised_to_the_address_they_reach(url: str, host: str) -> None:
    target = parse_url(url)
    assert target.host == host
    assert target.is_ip


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("HTTPS://Example.COM", "https://example.com/"),
        ("  http://example.com/a?b=c#frag  ", "http://example.com/a?b=c"),
        ("http://example.com:80/", "http://example.com/"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("http://example.com.:8080", "http://example.com:8080/"),
        ("http://example.com?q=1", "http://example.com/?q=1"),
        ("http://bücher.de/ü?q=é", "http://xn--bcher-kva.de/%C3%BC?q=%C3%A9"),
        ("http://BÜCHER.de/", "http://xn--bcher-kva.de/"),
        ("http://\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0e\uff43\uff4f\uff4d/", "http://example.com/"),
        ("http://xn--bcher-kva.de/", "http://xn--bcher-kva.de/"),
        ("http://[2606:4700:4700:0::1111]:8080/", "http://[2606:4700:4700::1111]:8080/"),
        ("http://example.com/a%20b", "http://example.com/a%20b"),
        ("http://_dmarc.example.com/", "http://_dmarc.example.com/"),
    ],
)
def test_urls_are_normalised(url: str, normalised: str) -> None:
    assert parse_url(url).url == normalised
