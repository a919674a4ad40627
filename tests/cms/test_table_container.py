from django.template import Context, Template


def render(source: str, **context) -> str:
    return Template("{% load cms_tags %}" + source).render(Context(context))


def test_table_container_wraps_a_table_in_a_labelled_focusable_region():
    html = render(
        '{% table_container "Offerings on "|add:lot %}<table></table>{% endtable_container %}',
        lot="Lot 1 <Software>",
    )
    assert html == (
        '<div class="app-table-container" role="region" '
        'aria-label="Offerings on Lot 1 &lt;Software&gt;" tabindex="0"><table></table></div>'
    )
