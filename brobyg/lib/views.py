from django.shortcuts import render


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def noindex(response):
    """A public page search engines should not list (a sign-up, a receipt)."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def personal_link_response(response):
    """Headers for a page reached by a citizen's personal link: not indexed, and the address
    (which holds the link's secret) never sent on as a referrer. ("no-referrer" would do the
    same, but browsers then post the page's forms with "Origin: null", which Django's CSRF check
    refuses; "strict-origin" sends at most the site's origin.)"""
    noindex(response)
    response["Referrer-Policy"] = "strict-origin"
    return response
