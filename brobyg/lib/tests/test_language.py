from django.urls import reverse


def test_it_speaks_danish_even_to_an_english_browser(client, db):
    response = client.get(reverse("start"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="da">' in response.content.decode()
    assert response["Content-Language"] == "da"


def test_it_switches_to_english_and_back_when_asked(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get(reverse("start")).content.decode()
    client.post(reverse("set_language"), {"language": "da", "next": "/"})
    assert '<html lang="da">' in client.get(reverse("start")).content.decode()


def test_it_shows_the_crisis_numbers_on_every_page(client, db):
    for url in (reverse("start"), reverse("account_login")):
        html = client.get(url).content.decode()
        assert 'href="tel:112"' in html
        assert 'href="tel:1813"' in html
