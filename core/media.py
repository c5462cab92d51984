"""Public uploads served by Django in development, with the headers nginx adds in production.

In production nginx serves MEDIA_ROOT (deploy/nginx/lvxie.conf): every file with ``nosniff``,
and attachments as downloads. ``DEBUG=1`` serves the same files through this view, so that a
developer sees what a reader gets.
"""

from django.views.static import serve

# Folders of MEDIA_ROOT whose files are downloaded, never opened in the site's origin.
DOWNLOAD_FOLDERS = ("attachments/",)


def serve_public_media(request, path, document_root=None, show_indexes=False):
    response = serve(request, path, document_root=document_root, show_indexes=show_indexes)
    response["X-Content-Type-Options"] = "nosniff"
    if path.startswith(DOWNLOAD_FOLDERS):
        response["Content-Disposition"] = "attachment"
    return response
