"""Replace Wagtail's "Welcome to your new Wagtail site!" page with the service's home page.

wagtailcore's 0002_initial_data creates the tree root (path 0001) and a plain Page at path
00010001 as the default Site's root. This migration swaps that page for a HomePage in the same
place. It does nothing when the default site already starts at a HomePage, or when its root
page has been edited into something else (it has children, or is not a plain Page), so it is
safe to run on any database.
"""

from django.db import migrations

HOME_TITLE = "Find a framework supplier"
HOME_INTRO = (
    "Find suppliers on shared procurement frameworks run by regional authorities, "
    "and call off contracts from them lawfully under the Procurement Act 2023."
)


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("cms", "HomePage")

    home_type, _ = ContentType.objects.get_or_create(app_label="cms", model="homepage")
    page_type = ContentType.objects.filter(app_label="wagtailcore", model="page").first()

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return
    welcome = site.root_page
    if welcome.content_type_id == home_type.pk:
        return
    if page_type is None or welcome.content_type_id != page_type.pk or welcome.numchild:
        return

    path, depth, url_path, slug = welcome.path, welcome.depth, welcome.url_path, welcome.slug
    locale_id = welcome.locale_id
    sites = list(Site.objects.filter(root_page=welcome))
    # Sites protect their root page; point them at the tree root while the page is replaced.
    tree_root = Page.objects.get(depth=1, path=path[:4])
    Site.objects.filter(pk__in=[s.pk for s in sites]).update(root_page=tree_root)
    welcome.delete()

    home = HomePage.objects.create(
        title=HOME_TITLE,
        draft_title=HOME_TITLE,
        slug=slug,
        content_type=home_type,
        path=path,
        depth=depth,
        numchild=0,
        url_path=url_path,
        locale_id=locale_id,
        live=True,
        intro=HOME_INTRO,
    )
    Site.objects.filter(pk__in=[s.pk for s in sites]).update(root_page=home)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_home_page, migrations.RunPython.noop)]
