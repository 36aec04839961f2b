// crowdcare's site search: Pagefind (https://pagefind.app), run after the MkDocs build by crowdcare's plugin.
// Only the search page loads this, and Pagefind then fetches only the index chunks the searched words need.
// Results are built as DOM nodes: titles and excerpts come from what users wrote, so nothing is inserted as HTML.
const form = document.getElementById("cc-search");
const box = document.getElementById("cc-search-q");
const status = document.getElementById("cc-search-status");
const list = document.getElementById("cc-search-results");
const siteRoot = new URL("../../", import.meta.url);
let engine = null;

async function pagefind() {
  if (engine === null) {
    engine = await import(new URL("pagefind/pagefind.js", siteRoot).href);
    await engine.options({ baseUrl: siteRoot.pathname, excerptLength: 24 });
  }
  return engine;
}

// Pagefind's excerpt is text with <mark> around the words found: keep exactly that, as text and <mark> nodes.
function excerpt(html) {
  const p = document.createElement("p");
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  for (const node of parsed.body.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      p.append(mark);
    } else {
      p.append(document.createTextNode(node.textContent));
    }
  }
  return p;
}

function item(page) {
  const li = document.createElement("li");
  const a = document.createElement("a");
  const url = new URL(page.url, location.href);
  a.href = url.origin === location.origin ? url.href : "#";
  a.textContent = (page.meta && page.meta.title) || page.url;
  const kind = page.meta && page.meta.kind;
  const title = document.createElement("h2");
  title.append(a);
  if (kind) {
    const small = document.createElement("small");
    small.textContent = ` · ${kind}`;
    title.append(small);
  }
  li.append(title, excerpt(page.excerpt));
  return li;
}

// Pagefind finds the pages that have every word. When none has them all ("export to Excel"), the pages with the
// most of the words come first, then by Pagefind's score.
async function find(engine, query) {
  const found = (await engine.search(query)).results;
  const words = query.split(/\s+/).filter((word) => word.length > 1);
  if (found.length > 0 || words.length < 2) return { results: found, partial: false };
  const merged = new Map();
  for (const each of await Promise.all(words.map((word) => engine.search(word)))) {
    for (const result of each.results) {
      const seen = merged.get(result.id) || { result, words: 0, score: 0 };
      seen.words += 1;
      seen.score += result.score;
      merged.set(result.id, seen);
    }
  }
  const ranked = [...merged.values()].sort((a, b) => b.words - a.words || b.score - a.score);
  return { results: ranked.map((seen) => seen.result), partial: true };
}

// The words come from the form's data attributes: the plugin writes them in the community's language.
const words = form.dataset;
const fill = (text, values) => text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));

async function search(query) {
  status.textContent = words.searching;
  list.replaceChildren();
  try {
    const found = await find(await pagefind(), query);
    const pages = await Promise.all(found.results.slice(0, 10).map((result) => result.data()));
    list.replaceChildren(...pages.map(item));
    const n = found.results.length;
    const shown = n > 10 ? words.firstTen : "";
    const some = found.partial ? words.partial : "";
    status.textContent = n === 0
      ? fill(words.nothing, { query })
      : `${fill(n === 1 ? words.foundOne : words.foundMany, { count: n, query })}${shown}.${some}`;
  } catch (error) {
    status.textContent = words.failed;
    console.error(error);
  }
}

const query = new URLSearchParams(location.search).get("q");
if (query && query.trim()) {
  box.value = query;
  search(query.trim());
}
form.addEventListener("submit", (event) => {
  event.preventDefault();
  const words = box.value.trim();
  if (!words) return;
  history.replaceState(null, "", `?q=${encodeURIComponent(words)}`);
  search(words);
});
