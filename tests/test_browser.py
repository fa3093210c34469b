"""The pages in a real browser, as a person uses them: Debian's Chromium, headless,
driven through selenium, on a real ``graphkg serve`` over a copy of the seed store.

``make test`` installs Chromium and its driver (``chromium``, ``chromium-driver``)
and vendors YASGUI (``make static``) first; without them these tests fail, saying
what to install. One browser and one server serve the whole module; every wait is
on a condition. Each page is saved as a screenshot in ``tests/artifacts/``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyoxigraph as ox
import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from graphkg.server.query_page import SAMPLE_QUERY, yasgui_vendored

from conftest import ARTICLE_ID, BASE, NAMED_QUERIES, serving

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

ARTIFACTS = Path(__file__).parent / "artifacts"

ID = f"{BASE}id/"
AZERBAIJAN = f"{ID}state/azerbaijan"
RAIDS_PATH = "/id/incident/yekaterinburg-raids"
ARTICLE_PATH = f"/id/article/{ARTICLE_ID}"
WAIT = 20
needs_yasgui = pytest.mark.usefixtures("yasgui")


# -- fixtures --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def yasgui() -> None:
    if not yasgui_vendored():
        pytest.fail("YASGUI is not vendored: run `make static` (which `make test` runs)")


@pytest.fixture(scope="module")
def site(built_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``graphkg serve`` over a copy of the seed store: the root URL."""
    store = tmp_path_factory.mktemp("browser") / "store"
    shutil.copytree(built_store_dir, store, symlinks=True)
    # The search index, which `graphkg build` leaves beside a store, for completion by label.
    subprocess.run(
        [str(Path(sys.executable).with_name("graphkg")), "--store", str(store), "reindex"],
        capture_output=True,
        check=False,
        timeout=120,
    )
    with serving(store) as (root, _):
        yield root


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        pytest.fail(
            f"no {' or '.join(missing)}: `make test` installs Debian's chromium and chromium-driver"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    options.add_argument("--window-size=1280,900")
    driver = webdriver.Chrome(
        options=options, service=webdriver.ChromeService(executable_path=str(CHROMEDRIVER))
    )
    yield driver
    driver.quit()


@pytest.fixture
def page(browser: WebDriver, site: str) -> Iterator[Callable[[str], WebDriver]]:
    """Open a path of the site in the browser, at 1280 px wide; undone after the test."""

    def open_path(path: str) -> WebDriver:
        browser.get(site + path)
        return browser

    browser.set_window_size(1280, 900)
    yield open_path
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
    browser.set_window_size(1280, 900)


def wait_for(
    driver: WebDriver, condition: Callable[[WebDriver], object], what: str, seconds: float = WAIT
) -> object:
    try:
        # A list redrawn as it is read (the completion menu) leaves stale elements: read again.
        wait = WebDriverWait(driver, seconds, ignored_exceptions=(StaleElementReferenceException,))
        return wait.until(condition)
    except TimeoutException:
        raise AssertionError(f"waited {seconds} s for {what}") from None


def element(driver: WebDriver, css: str) -> WebElement:
    found = wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, css), css)
    assert isinstance(found, list)
    return found[0]


def editor_lines(driver: WebDriver) -> list[str]:
    """The lines the query editor shows (CodeMirror draws those in view), first first."""
    element(driver, "#yasgui .CodeMirror-line")
    lines = driver.execute_script(
        "return Array.from(document.querySelectorAll('#yasgui .CodeMirror-code > div'))"
        ".map(line => line.querySelector('.CodeMirror-line').textContent)"
    )
    return [line.replace("\xa0", " ") for line in lines]


def set_query(driver: WebDriver, query: str) -> None:
    driver.execute_script(
        "document.querySelector('#yasgui .CodeMirror').CodeMirror.setValue(arguments[0])", query
    )


def run_query(driver: WebDriver) -> None:
    element(driver, "#yasgui .yasqe_queryButton").click()


def overflows(driver: WebDriver) -> bool:
    return driver.execute_script(
        "return document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def fetch(url: str) -> tuple[str, bytes]:
    with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 (the test's own server)
        return answer.headers.get_content_type(), answer.read()


def iri_link(driver: WebDriver, scope: str, iri: str) -> WebElement:
    return element(driver, f'{scope} a[title="{iri}"]')


def at_path(driver: WebDriver, path: str) -> None:
    wait_for(driver, lambda d: urlsplit(d.current_url).path == path, path)


def focused(driver: WebDriver) -> WebElement:
    return driver.switch_to.active_element


def tab_until(driver: WebDriver, reached: Callable[[WebElement], bool], what: str) -> None:
    """Press Tab until the focused element is what ``reached`` looks for."""
    for _ in range(60):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        if reached(focused(driver)):
            return
    raise AssertionError(f"the Tab key never reached {what}")


def screenshot(driver: WebDriver, name: str) -> None:
    """Save what the browser shows, for a person to look at (``tests/artifacts/``)."""
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


# -- the query page --------------------------------------------------------------------


@needs_yasgui
def test_query_editor_shows_the_example_query_on_its_first_lines(page: Callable) -> None:
    driver = page("/")
    lines = editor_lines(driver)
    assert lines[: len(SAMPLE_QUERY.splitlines())] == SAMPLE_QUERY.splitlines()
    assert not any(line.lstrip().upper().startswith("PREFIX") for line in lines)
    # The editor knows the predeclared prefixes: gkg: and rdfs: are no syntax error.
    assert driver.find_elements(By.CSS_SELECTOR, "#yasgui .parseErrorIcon") == []


@needs_yasgui
def test_running_the_example_shows_labels_linked_to_their_pages(page: Callable) -> None:
    driver = page("/")
    run_query(driver)
    link = iri_link(driver, "#yasgui table.results", AZERBAIJAN)
    wait_for(driver, lambda d: link.text == "Azerbaijan", "the label of Azerbaijan")
    assert urlsplit(link.get_attribute("href")).path == "/id/state/azerbaijan"
    table = element(driver, "#yasgui table.results").text
    assert "xsd:" not in table and "@en" not in table and "<https://" not in table


@needs_yasgui
def test_query_page_does_not_overflow_at_1280_px_with_wide_results(page: Callable) -> None:
    driver = page("/?named=timeline")
    run_query(driver)
    element(driver, "#yasgui .yasr_results svg, #yasgui .yasr_results table")
    driver.execute_script("document.querySelector('#yasgui .select_graphkg-table').click()")
    table = element(driver, "#yasgui table.results")
    assert len(table.find_elements(By.CSS_SELECTOR, "thead th")) > 20
    assert not overflows(driver)


@needs_yasgui
def test_query_page_is_usable_at_375_px(page: Callable, browser: WebDriver) -> None:
    browser.set_window_size(375, 812)
    driver = page("/")
    width = driver.execute_script("return document.documentElement.clientWidth")
    for css in ("#yasgui .CodeMirror", "#yasgui .yasqe_queryButton"):
        shown = element(driver, css)
        assert shown.is_displayed()
        box = shown.rect
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, css
    assert not overflows(driver)
    run_query(driver)
    iri_link(driver, "#yasgui table.results", AZERBAIJAN)
    assert not overflows(driver)


@needs_yasgui
def test_examples_menu_lists_every_named_query_and_opens_one(page: Callable) -> None:
    driver = page("/")
    element(driver, "#examples summary").click()
    items = driver.find_elements(By.CSS_SELECTOR, "#examples a[data-name]")
    assert [item.get_attribute("data-name") for item in items] == list(NAMED_QUERIES)
    relations = next(item for item in items if item.get_attribute("data-name") == "relations")
    title = NAMED_QUERIES["relations"].title
    assert relations.text.startswith(title)
    assert len(relations.find_element(By.CSS_SELECTOR, ".summary").text) > 20
    relations.click()
    wait_for(driver, lambda d: editor_lines(d)[0] == f"# {title}", "the example in the editor")
    assert not any(line.lstrip().upper().startswith("PREFIX") for line in editor_lines(driver))


@needs_yasgui
def test_the_link_to_a_query_reopens_it_and_runs_it(page: Callable, browser: WebDriver) -> None:
    query = 'SELECT ?place WHERE { ?place rdfs:label "Baku"@en }'
    driver = page("/")
    set_query(driver, query)
    link = element(driver, "#share-link")
    wait_for(driver, lambda d: quote(query, safe="") in link.get_attribute("href"), "the link")
    assert quote(query, safe="") in driver.current_url
    browser.get(link.get_attribute("href"))
    wait_for(driver, lambda d: editor_lines(d) == [query], "the query in the reopened editor")
    baku = iri_link(driver, "#yasgui table.results", f"{ID}place/baku")
    wait_for(driver, lambda d: baku.text == "Baku", "the reopened query's results")


@needs_yasgui
def test_yasguis_own_share_link_reopens_its_query_on_this_server(page: Callable, site: str) -> None:
    query = 'SELECT ?place WHERE { ?place rdfs:label "Baku"@en }'
    elsewhere = quote("http://example.org/sparql", safe="")
    driver = page(f"/#query={quote(query, safe='')}&endpoint={elsewhere}")
    wait_for(driver, lambda d: editor_lines(d) == [query], "the query of the link")
    baku = iri_link(driver, "#yasgui table.results", f"{ID}place/baku")
    wait_for(driver, lambda d: baku.text == "Baku", "its results, from this server")
    assert driver.current_url == f"{site}/?query={quote(query, safe='')}"


@needs_yasgui
def test_a_long_table_draws_its_rows_a_page_at_a_time(page: Callable) -> None:
    driver = page("/")
    set_query(driver, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 600")
    run_query(driver)
    more = element(driver, "#yasgui button.more-rows")
    rows = "#yasgui table.results tbody tr"
    assert len(driver.find_elements(By.CSS_SELECTOR, rows)) == 500
    assert more.text == "Show 100 more of 600 rows"
    more.click()
    wait_for(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, rows)) == 600, "every row")
    assert not more.is_displayed()


@needs_yasgui
def test_results_download_as_csv_json_and_turtle(page: Callable) -> None:
    driver = page("/")
    csv_type, csv_body = fetch(element(driver, "#download-csv").get_attribute("href"))
    assert csv_type == "text/csv" and "Azerbaijan" in csv_body.decode()
    json_type, json_body = fetch(element(driver, "#download-json").get_attribute("href"))
    assert json_type == "application/sparql-results+json"
    assert json.loads(json_body)["results"]["bindings"]
    assert not element(driver, "#download-turtle").is_displayed()
    set_query(driver, "CONSTRUCT { ?s gkg:belongsToState ?o } WHERE { ?s gkg:belongsToState ?o }")
    turtle = element(driver, "#download-turtle")
    wait_for(driver, lambda d: turtle.is_displayed(), "the Turtle download of a graph")
    turtle_type, turtle_body = fetch(turtle.get_attribute("href"))
    assert turtle_type == "text/turtle"
    triples = list(ox.parse(turtle_body, format=ox.RdfFormat.TURTLE))
    assert any(t.object == ox.NamedNode(AZERBAIJAN) for t in triples)
    assert not element(driver, "#download-csv").is_displayed()


@needs_yasgui
def test_construct_results_open_in_the_graph_view(page: Callable) -> None:
    driver = page("/")
    set_query(driver, "CONSTRUCT { ?s gkg:belongsToState ?o } WHERE { ?s gkg:belongsToState ?o }")
    run_query(driver)
    node = element(driver, '#yasgui .graph-chart a[href="/id/state/azerbaijan"]')
    assert node.text == "Azerbaijan"
    assert AZERBAIJAN in node.find_element(By.TAG_NAME, "title").get_attribute("textContent")
    assert len(driver.find_elements(By.CSS_SELECTOR, "#yasgui .graph-chart .node")) > 3
    assert len(driver.find_elements(By.CSS_SELECTOR, "#yasgui .graph-chart .edge")) > 2


@needs_yasgui
@pytest.mark.parametrize(
    ("typed", "offered", "inserted"),
    [
        ("SELECT * WHERE {\n  ?x a gkg:Stat", "gkg:State — state", "gkg:State"),
        ("SELECT * WHERE {\n  ?x gkg:belongsTo", "gkg:belongsToState", "gkg:belongsToState"),
        ("SELECT * WHERE {\n  ?x gkg:party azerbaija", "Azerbaijan — gkg:State", f"<{AZERBAIJAN}>"),
    ],
    ids=["class", "property", "entity-by-label"],
)
def test_editor_completes_classes_properties_and_entities(
    page: Callable, site: str, typed: str, offered: str, inserted: str
) -> None:
    driver = page("/")
    element(driver, "#yasgui .CodeMirror")
    driver.execute_script(
        "const editor = document.querySelector('#yasgui .CodeMirror').CodeMirror;"
        "editor.setValue(arguments[0]); editor.focus(); editor.setCursor(editor.lineCount(), 0);",
        typed[:-1],
    )
    ActionChains(driver).send_keys(typed[-1]).perform()

    def pick(d: WebDriver) -> bool:
        for hint in d.find_elements(By.CSS_SELECTOR, ".CodeMirror-hint"):
            if hint.text.startswith(offered):
                hint.click()
                return True
        return False

    wait_for(driver, pick, f"{offered!r} offered and picked")
    wait_for(driver, lambda d: editor_lines(d)[-1].rstrip().endswith(inserted), "the completion")
    word = typed.rsplit(" ", 1)[-1]
    assert editor_lines(driver)[-1] == typed.splitlines()[-1][: -len(word)] + inserted


def test_without_yasgui_the_built_in_editor_runs_queries_with_labels(
    page: Callable, browser: WebDriver
) -> None:
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/vendor/yasgui/*"]})
    driver = page("/")
    editor = element(driver, "#query-text")
    assert editor.is_displayed()
    assert editor.get_attribute("value") == SAMPLE_QUERY
    element(driver, "#run").click()
    link = iri_link(driver, "#results table.results", AZERBAIJAN)
    wait_for(driver, lambda d: link.text == "Azerbaijan", "the label of Azerbaijan")
    assert not overflows(driver)


# -- named query pages ------------------------------------------------------------------


def test_timeline_page_draws_an_event_per_dated_row_coloured_by_kind(
    page: Callable, site: str
) -> None:
    _, body = fetch(f"{site}/queries/timeline.json")
    rows = json.loads(body)["results"]["bindings"]
    dated = [row for row in rows if "day" in row]
    assert dated and len(dated) < len(rows)
    driver = page("/queries/timeline")
    element(driver, "#timeline-view .timeline-chart .event")
    events = driver.find_elements(By.CSS_SELECTOR, "#timeline-view .timeline-chart .event")
    assert len(events) == len({row["event"]["value"] for row in rows})
    shown = driver.find_elements(By.CSS_SELECTOR, "#timeline-view .event.dated")
    assert len(shown) == len(dated)
    first = shown[0].find_element(By.CSS_SELECTOR, "a")
    assert first.get_dom_attribute("href") == "/id/" + dated[0]["event"]["value"][len(ID) :]
    assert shown[0].find_element(By.CSS_SELECTOR, ".date").text == dated[0]["day"]["value"]
    days = [
        event.find_element(By.TAG_NAME, "title").get_attribute("textContent").split(" · ")[0]
        for event in shown
    ]
    assert days == sorted(days) and len(set(days)) > 1  # the seed's events in date order
    screenshot(driver, "timeline")
    colours = {
        circle.get_dom_attribute("fill")
        for circle in driver.find_elements(By.CSS_SELECTOR, "#timeline-view .dated circle")
    }
    kinds = {row["kind"]["value"] for row in dated if "kind" in row}
    assert len(colours) == len(kinds) > 1
    legend = element(driver, "#timeline-view .timeline-legend").text
    assert all(row["kindLabel"]["value"] in legend for row in dated if "kindLabel" in row)


def test_named_query_tables_show_labels_and_values_without_type_clutter(page: Callable) -> None:
    driver = page("/queries/timeline")
    table = element(driver, "#results table.results")
    assert "xsd:" not in table.text and "@en" not in table.text
    crash = table.find_element(
        By.CSS_SELECTOR, f'a[title="{ID}incident/kazakhstan-airliner-crash"]'
    )
    assert crash.text == "crash of an Azerbaijani airliner in Kazakhstan"
    date = table.find_element(By.CSS_SELECTOR, "time")
    assert date.get_attribute("title") == "xsd:date"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", date.text)


@pytest.mark.parametrize("width", [1280, 375])
def test_no_word_of_a_results_table_is_broken_across_lines(
    page: Callable, browser: WebDriver, width: int
) -> None:
    browser.set_window_size(width, 900)
    driver = page("/queries/timeline")
    element(driver, "#results table.results td")
    broken = driver.execute_script(
        """
        const broken = [];
        const walker = document.createTreeWalker(
          document.querySelector('#results table.results tbody'), NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const word of node.textContent.matchAll(/[\\p{L}\\p{N}]{2,}/gu)) {
            const range = document.createRange();
            range.setStart(node, word.index);
            range.setEnd(node, word.index + word[0].length);
            const lines = new Set(Array.from(range.getClientRects(), r => Math.round(r.top)));
            if (lines.size > 1) broken.push(word[0]);
          }
        }
        return broken;
        """
    )
    assert broken == []
    assert not overflows(driver)


# -- article and resource pages -----------------------------------------------------------


def test_article_fact_numbers_are_separate_links(page: Callable) -> None:
    driver = page(ARTICLE_PATH)
    element(driver, ".article-text mark")
    numbers = [
        sup
        for sup in driver.find_elements(By.CSS_SELECTOR, ".article-text sup.also")
        if len(sup.find_elements(By.CSS_SELECTOR, "a")) > 1
    ]
    assert numbers
    for sup in numbers:
        links = sup.find_elements(By.CSS_SELECTOR, "a")
        assert sup.text == " ".join(link.text for link in links)
        assert all(re.fullmatch(r"\d+", link.text) for link in links)
        assert len({link.get_attribute("href") for link in links}) == len(links)


def test_focusing_or_hovering_a_quote_shows_the_facts_it_supports(page: Callable) -> None:
    driver = page(ARTICLE_PATH)
    quote = next(
        q
        for q in driver.find_elements(By.CSS_SELECTOR, ".article-text .quote")
        if q.find_elements(By.CSS_SELECTOR, "sup.also a")
    )
    popup = quote.find_element(By.CSS_SELECTOR, ".facts-popup")
    numbers = [a.text for a in quote.find_elements(By.CSS_SELECTOR, "sup.also a")]
    assert not popup.is_displayed()
    text_link = quote.find_element(By.CSS_SELECTOR, "mark a")
    # Focus the link just before the quote's, then move on to the quote with the Tab key
    # (through the popup that the previous quote opens while it has the focus).
    driver.execute_script(
        "const links = Array.from(document.querySelectorAll('a[href]'))"
        "  .filter(a => a.getClientRects().length > 0);"
        "links[links.indexOf(arguments[0]) - 1].focus();",
        text_link,
    )
    for _ in range(30):
        if driver.switch_to.active_element == text_link:
            break
        ActionChains(driver).send_keys(Keys.TAB).perform()
    assert driver.switch_to.active_element == text_link
    wait_for(driver, lambda d: popup.is_displayed(), "the facts of the focused quote")
    listed = popup.find_elements(By.CSS_SELECTOR, "a")
    assert len(listed) == 1 + len(numbers)
    assert [a.find_element(By.CSS_SELECTOR, ".number").text for a in listed[1:]] == numbers
    assert listed[0].get_attribute("href") == text_link.get_attribute("href")
    driver.execute_script("document.activeElement.blur()")
    ActionChains(driver).move_to_element(driver.find_element(By.TAG_NAME, "h1")).perform()
    wait_for(driver, lambda d: not popup.is_displayed(), "the popup to close")
    ActionChains(driver).move_to_element(text_link).perform()
    wait_for(driver, lambda d: popup.is_displayed(), "the facts of the hovered quote")


def test_a_fact_page_is_one_click_from_its_quote_in_the_article(page: Callable) -> None:
    driver = page(RAIDS_PATH)
    quoted = element(driver, "#evidence blockquote.evidence p").text
    element(driver, "#evidence a.to-quote").click()
    wait_for(driver, lambda d: urlsplit(d.current_url).path == ARTICLE_PATH, "the article")
    target = element(driver, "mark:target")
    assert urlsplit(driver.current_url).fragment == target.get_attribute("id")
    assert quoted.startswith(target.text)
    assert target.is_displayed()


def test_resource_graph_view_draws_its_neighbours(page: Callable) -> None:
    driver = page(RAIDS_PATH)
    element(driver, 'a[href="#graph-view"]').click()
    element(driver, "#graph-view .graph-chart .node")
    center = driver.find_elements(By.CSS_SELECTOR, "#graph-view .node.center")
    assert len(center) == 1
    agent = element(driver, '#graph-view a[href="/id/organization/ru-law-enforcement"]')
    assert agent.text == "Russian law enforcement"
    assert len(driver.find_elements(By.CSS_SELECTOR, "#graph-view .graph-chart .node")) > 5
    assert element(driver, "#graph-view .graph-chart").is_displayed()
    assert not overflows(driver)


@needs_yasgui
def test_a_query_runs_and_a_result_opens_with_the_keyboard_only(page: Callable) -> None:
    driver = page("/")
    element(driver, "#yasgui .CodeMirror")
    tab_until(driver, lambda e: e.tag_name == "textarea", "the query editor")
    ActionChains(driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    iri_link(driver, "#yasgui table.results", AZERBAIJAN)
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()  # Tab indents; Escape leaves
    assert "yasqe_queryButton" in (focused(driver).get_attribute("class") or "")
    tab_until(driver, lambda e: e.get_attribute("title") == AZERBAIJAN, "the first result")
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    at_path(driver, "/id/state/azerbaijan")
    assert element(driver, "h1").text == "Azerbaijan"


@needs_yasgui
def test_a_result_opens_its_resource_page(page: Callable) -> None:
    driver = page("/")
    run_query(driver)
    screenshot(driver, "query-results")
    iri_link(driver, "#yasgui table.results", AZERBAIJAN).click()
    at_path(driver, "/id/state/azerbaijan")
    assert element(driver, "h1").text == "Azerbaijan"
    screenshot(driver, "resource")


def test_search_from_the_box_of_any_page_finds_an_entity_and_opens_it(page: Callable) -> None:
    driver = page("/queries")
    box = element(driver, 'nav input[type="search"]')
    box.send_keys("Azerbaijan", Keys.ENTER)
    hit = element(driver, "ol.hits li a")
    assert urlsplit(driver.current_url).path == "/search"
    assert hit.text == "Azerbaijan" and hit.get_attribute("title") == AZERBAIJAN
    screenshot(driver, "search")
    hit.click()
    at_path(driver, "/id/state/azerbaijan")


def test_a_quote_leads_to_its_fact_and_the_fact_back_to_the_quote(page: Callable) -> None:
    driver = page(ARTICLE_PATH)
    screenshot(driver, "article")
    mark = element(driver, ".article-text mark")
    quoted, anchor = mark.text, mark.get_attribute("id")
    fact = urlsplit(mark.find_element(By.TAG_NAME, "a").get_attribute("href")).path
    mark.find_element(By.TAG_NAME, "a").click()
    at_path(driver, fact)
    back = next(
        link
        for link in driver.find_elements(By.CSS_SELECTOR, "#evidence a.to-quote")
        if urlsplit(link.get_attribute("href")).fragment == anchor
    )
    back.click()
    at_path(driver, ARTICLE_PATH)
    target = element(driver, "mark:target")
    assert target.text == quoted and target.is_displayed()


PAGES = {
    "query": "/",
    "named-queries": "/queries",
    "named-query": "/queries/relations",
    "fact": RAIDS_PATH,
    "article-page": ARTICLE_PATH,
    "search-page": "/search?q=Kazakhstan",
    "history": "/history",
    "ontology": "/ontology",
}


@needs_yasgui
@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_fits_the_width_without_horizontal_scroll(
    page: Callable, browser: WebDriver, name: str, width: int
) -> None:
    browser.set_window_size(width, 900)
    driver = page(PAGES[name])
    element(driver, "main h1, h1")
    wait_for(driver, lambda d: d.execute_script("return document.readyState") == "complete", "load")
    screenshot(driver, f"{name}-{width}")
    assert not overflows(driver), f"{PAGES[name]} scrolls sideways at {width} px"
