from django.urls import reverse


def test_favicon_ico_answers_with_the_icon(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"].endswith(".ico")
    # Browsers ask for it after every page; they keep this answer for a day.
    assert "max-age=86400" in response["Cache-Control"]


def test_pages_link_the_svg_icon(client, db):
    response = client.get(reverse("news:home"))

    assert 'rel="icon"' in response.content.decode()
    assert "favicon.svg" in response.content.decode()
