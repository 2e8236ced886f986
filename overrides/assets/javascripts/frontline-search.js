// Frontline's search page: a small UI over Pagefind's JS API (pagefind/pagefind.js).
// Without JavaScript the form submits ?q= and the page explains itself; with it, results
// appear as the reader types, ?q= in the address is kept in step, and the count is announced.
// The index holds the stories' text without diacritics (frontline/search.py): the query is folded
// the same way, so "Đà Nẵng", "đà nẵng" and "da nang" are one search. Result elements are built with
// DOM calls from the record's metadata (title, date, place, standfirst: text, with their accents);
// words of the standfirst that match the query are marked. Each result says what it is (a story, a campaign,
// a page); a select orders them by date, newest first, kept in the address like ?q= (?sort=moi-nhat).

const PAGE = 5; // results shown at first and added by each "Xem thêm kết quả" (one fragment each)
const PAUSE = 300; // ms of no typing before a search: index chunks are fetched for the words typed by then

function start() {
  const root = document.getElementById("fl-search");
  const form = document.querySelector(".fl-search-form");
  const input = document.getElementById("fl-search-query");
  if (!root || !form || !input || !root.dataset.bundle) return; // a preview has no index
  const status = root.querySelector(".fl-search__status");
  const list = root.querySelector(".fl-search__results");
  const more = root.querySelector(".fl-search__more");
  const choices = document.querySelector(".fl-search-filters");
  const order = choices ? choices.querySelector("select[name=sort]") : null;
  if (choices) choices.hidden = false;
  let api = null; // the Pagefind module, once asked for
  let turn = 0; // every new query takes a turn; work for an older turn is dropped
  let found = [];
  let wanted = []; // the folded words of the query shown, for marking them in standfirsts
  let shown = 0;
  let timer = 0;

  function load() {
    if (!api) {
      const url = new URL("pagefind.js", new URL(root.dataset.bundle, document.baseURI));
      api = import(url.href).then(async (pagefind) => {
        await pagefind.options({
          noWorker: true, // a worker would be one more script (about 40 KB) to fetch before the first search
          ranking: { metaWeights: { standfirst: 0 } }, // shown with results; its words count as the lede's
        });
        await pagefind.init();
        return pagefind;
      });
      api.catch(() => {
        api = null; // try again with the next query
      });
    }
    return api;
  }

  function say(text) {
    if (status.textContent !== text) status.textContent = text;
  }

  function keepInAddress(query) {
    const url = new URL(window.location.href);
    for (const [name, value] of [["q", query], ["sort", order ? order.value : ""]]) {
      if (value) url.searchParams.set(name, value);
      else url.searchParams.delete(name);
    }
    if (url.href !== window.location.href) window.history.replaceState(window.history.state, "", url);
  }

  // What the select asks of Pagefind: its sort by the records' dates (data-pagefind-sort), or its ranking.
  function ordering() {
    return order && order.value === "moi-nhat" ? { sort: { date: "desc" } } : {};
  }

  async function run(text) {
    const mine = ++turn;
    const query = text.trim();
    keepInAddress(query);
    if (!query) {
      found = [];
      list.replaceChildren();
      more.hidden = true;
      say("");
      return;
    }
    say("Đang tìm…");
    const words = terms(query);
    let search;
    try {
      const pagefind = await load();
      search = words.length ? await pagefind.search(words.join(" "), ordering()) : { results: [] };
    } catch (error) {
      if (mine === turn) say("Chưa tải được chỉ mục tìm kiếm. Vui lòng thử lại sau.");
      return;
    }
    if (mine !== turn) return; // a newer query is under way
    found = search.results;
    wanted = words;
    shown = 0;
    list.replaceChildren();
    more.hidden = true;
    if (!found.length) {
      say(`Không tìm thấy kết quả nào cho “${query}”.`);
      return;
    }
    if (await show(mine)) say(`Tìm thấy ${found.length.toLocaleString("vi-VN")} kết quả cho “${query}”.`);
  }

  async function show(mine) {
    let batch;
    try {
      batch = await Promise.all(found.slice(shown, shown + PAGE).map((result) => result.data()));
    } catch (error) {
      if (mine === turn) say("Chưa tải được kết quả. Vui lòng thử lại.");
      return false;
    }
    if (mine !== turn) return false;
    list.append(...batch.map((data) => item(data, wanted)));
    shown += batch.length;
    more.hidden = shown >= found.length;
    return true;
  }

  // Debounced here rather than with pagefind.debouncedSearch, which fetches the index chunks of every
  // half-typed word at once: on a large site those are most of what a search downloads.
  input.addEventListener("input", () => {
    turn += 1; // results still on their way are for an older query
    clearTimeout(timer);
    timer = setTimeout(() => run(input.value), PAUSE);
  });
  input.addEventListener("focus", () => load(), { once: true });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run(input.value);
  });
  more.addEventListener("click", async () => {
    const first = shown;
    more.disabled = true;
    try {
      if (await show(turn)) {
        list.children[first]?.querySelector("a")?.focus(); // keyboard readers go on from the first new result
        say(`Đang hiện ${shown.toLocaleString("vi-VN")} trên ${found.length.toLocaleString("vi-VN")} kết quả.`);
      }
    } finally {
      more.disabled = false;
    }
  });

  const asked = new URLSearchParams(window.location.search);
  if (order) {
    order.addEventListener("change", () => {
      clearTimeout(timer);
      run(input.value);
    });
    if ([...order.options].some((option) => option.value === asked.get("sort"))) order.value = asked.get("sort");
  }
  const query = asked.get("q");
  if (query) {
    input.value = query;
    run(query);
  }
}

function item(data, wanted) {
  const meta = data.meta || {};
  const li = element("li", "fl-search__result");
  if (meta.kind) {
    const kind = element("p", "fl-search__kind");
    kind.textContent = meta.kind;
    li.append(kind);
  }
  const heading = element("h2", "fl-search__title");
  const link = element("a");
  link.href = webAddress(data.url) ? data.url : "#";
  link.textContent = meta.title || data.url;
  heading.append(link);
  li.append(heading);
  if (meta.date || meta.place) {
    const line = element("p", "fl-meta");
    if (meta.date) {
      const time = element("time");
      time.dateTime = meta.date;
      time.textContent = shortDate(meta.date);
      line.append(time);
    }
    if (meta.date && meta.place) line.append(" · ");
    if (meta.place) line.append(meta.place);
    li.append(line);
  }
  if (meta.standfirst) {
    const excerpt = element("p", "fl-search__excerpt");
    excerpt.append(marked(meta.standfirst, wanted));
    li.append(excerpt);
  }
  return li;
}

function element(tag, className) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  return node;
}

function webAddress(url) {
  try {
    return ["http:", "https:"].includes(new URL(url, document.baseURI).protocol);
  } catch {
    return false;
  }
}

function shortDate(iso) {
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return parts ? `${Number(parts[3])}/${Number(parts[2])}/${parts[1]}` : iso;
}

// What the index holds of a word (frontline/search.py): no diacritics, "đ" as "d", lower case.
function fold(text) {
  return text.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
}

// The query's words as the index holds them. "đã" is not indexed (a particle in every story), so it is
// dropped from the query rather than making it find nothing. Quotes (Pagefind's exact phrase) are kept.
function terms(query) {
  return query
    .split(/\s+/)
    .filter((word) => word && !unsearched(word))
    .map(fold);
}

function unsearched(word) {
  return bare(word.normalize("NFC").toLowerCase()) === "đã";
}

function bare(word) {
  return word.replace(/[^\p{L}\p{N}]/gu, "");
}

// The standfirst as text, its words that are words of the query in a <mark>; the query's last word may be
// the start of one, still being typed (Pagefind matches every word of the query as a prefix, "da" finds "dân",
// but a mark on each of those would point at the wrong words).
function marked(text, wanted) {
  const words = wanted.map(bare).filter(Boolean);
  const last = words.at(-1);
  const out = document.createDocumentFragment();
  for (const part of text.split(/(\s+)/)) {
    const word = bare(fold(part));
    if (word && (words.includes(word) || (last && word.startsWith(last))) && !unsearched(part)) {
      const mark = element("mark");
      mark.textContent = part;
      out.append(mark);
    } else {
      out.append(part);
    }
  }
  return out;
}

start();
