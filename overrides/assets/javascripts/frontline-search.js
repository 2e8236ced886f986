// Frontline's search page: a small UI over Pagefind's JS API (pagefind/pagefind.js).
// Without JavaScript the form submits ?q= and the page explains itself; with it, results
// appear as the reader types, ?q= in the address is kept in step, and the count is announced.
// The index holds the text folded (no diacritics, "đ" as "d"), then the exact form of each word with
// diacritics (frontline/output/search.py: "hải" is "‿hai‿rz"): the folded query finds every spelling ("da
// nang", "Đà Nẵng" and "ĐÀ NẴNG" are one search), and a second search for the exact forms of the words typed
// puts the pages that have them first ("hải vân" before "Hải Dương"). Every word must be found: Pagefind leaves out a word it has nowhere, so each is
// looked for alone first, and a word found nowhere is named rather than dropped. Result elements are built
// with DOM calls from the record's metadata (title, date, place, standfirst: text, with their accents);
// words of the standfirst that match the query are marked. Each result says what it is (a story, a campaign,
// a page); the selects narrow the results by the index's filters (campaign, place, year: each choice with
// its count) and order them by date, with or without words typed, and are kept in the address like ?q=.
// The index is in parts (frontline/output/search.py: the newest stories in the bundle's own folder, older ones
// in folders phan.json lists), merged here with Pagefind's mergeIndex; each part's pages carry a filter of
// their own (PART), so that a search answers only from the parts holding every word it has, and a search by
// date takes the parts in turn. An older part whose stories were edited since it was indexed keeps its records
// (indexing it again takes seconds): the edited pages' records are in the patch part, and phan.json names the
// records they supersede in each part ("stale"), which a search of that part leaves out, with their filters'
// counts; by date, the patch part's results go in among the others by their dates as they are shown.

const PAGE = 5; // results shown at first and added by each "Xem thêm kết quả" (one fragment each)
const PAUSE = 300; // ms of no typing before a search: index chunks are fetched for the words typed by then
const PART = "phan"; // the filter Pagefind adds to every page of a part (mergeFilter): its place in `parts`
const RANKING = { metaWeights: { standfirst: 0 } }; // the standfirst is shown with results; its words count as the lede's

function start() {
  const root = document.getElementById("fl-search");
  const form = document.querySelector(".fl-search-form");
  const input = document.getElementById("fl-search-query");
  if (!root || !form || !input || !root.dataset.bundle) return; // a preview has no index
  const status = root.querySelector(".fl-search__status");
  const list = root.querySelector(".fl-search__results");
  const more = root.querySelector(".fl-search__more");
  const hint = element("p", "fl-search__hint");
  hint.hidden = true;
  status.after(hint);
  const choices = document.querySelector(".fl-search-filters");
  const filters = choices ? [...choices.querySelectorAll("select[data-filter]")] : [];
  const order = choices ? choices.querySelector("select[name=sort]") : null;
  if (choices) choices.hidden = false;
  let api = null; // the Pagefind module, once asked for
  let parts = []; // each part's PART value, newest part first, once the index is loaded; none with one part
  let patch = null; // the patch part's PART value, when there is one
  let stale = new Map(); // PART value → Map(id → filters) of the records in that part that others supersede
  let turn = 0; // every new query takes a turn; work for an older turn is dropped
  let found = [];
  let early = []; // the patch part's results ({result, data once loaded}) not shown yet, newest first
  let next = 0; // the first of ``found`` not shown yet
  let total = 0; // results in all: ``found`` and the patch part's
  let wanted = []; // the folded words of the query shown, for marking them in standfirsts
  let shown = 0;
  let timer = 0;
  let counting = null; // Pagefind's filter files, once asked for: each choice's count needs them all
  let counted = null; // what the choices count now: {term} of the results shown (term null: filters alone)

  // The filter files are fetched when a reader turns to the filters (or a filter is in the address), not with
  // every search: on a large site they weigh about a third of what a first search fetches.
  function loadCounts() {
    if (!counting) {
      counting = load()
        .then(async (pagefind) => {
          await pagefind.filters();
          return pagefind;
        })
        .catch(() => {
          counting = null;
        });
    }
    return counting;
  }

  function load() {
    if (!api) {
      const bundle = new URL(root.dataset.bundle, document.baseURI);
      api = Promise.all([import(new URL("pagefind.js", bundle).href), partIndex()]).then(async ([pagefind, index]) => {
        const folders = index.patch ? [...index.folders, index.patch] : index.folders;
        await pagefind.options({
          noWorker: true, // a worker would be one more script (about 40 KB) to fetch before the first search
          ranking: RANKING,
          ...(folders.length ? { mergeFilter: { [PART]: "0" } } : {}),
        });
        await pagefind.init();
        await Promise.all(
          folders.map((folder, i) =>
            pagefind.mergeIndex(new URL(folder, bundle).pathname, {
              ranking: RANKING,
              mergeFilter: { [PART]: String(i + 1) },
            }),
          ),
        );
        parts = folders.length ? ["0", ...folders.map((_, i) => String(i + 1))] : [];
        patch = index.patch ? String(folders.length) : null;
        stale = new Map();
        for (const [folder, ids] of Object.entries(index.stale)) {
          const at = index.folders.indexOf(folder);
          if (at >= 0 && ids && typeof ids === "object") stale.set(String(at + 1), new Map(Object.entries(ids)));
        }
        return pagefind;
      });
      api.catch(() => {
        api = null; // try again with the next query
      });
    }
    return api;
  }

  // From phan.json: the folders of the index's other parts, newest first (relative to the bundle's), the patch
  // part's and the records each part holds that others supersede. Fetched past every cache, as Pagefind fetches its
  // entry file (?ts=), since a build may have changed them since.
  async function partIndex() {
    const none = { folders: [], patch: null, stale: {} };
    if (!root.dataset.parts) return none;
    const url = new URL(root.dataset.parts, document.baseURI);
    url.searchParams.set("ts", Date.now());
    const response = await fetch(url);
    if (!response.ok) throw new Error(`phan.json: ${response.status}`);
    const index = await response.json();
    const folder = (name) => typeof name === "string" && /^[a-z0-9-]+\/$/.test(name);
    return {
      folders: Array.isArray(index.parts) ? index.parts.filter(folder) : [],
      patch: folder(index.patch) ? index.patch : null,
      stale: index.stale && typeof index.stale === "object" ? index.stale : {},
    };
  }

  // The parts in which each of ``searches`` (one word's search each) found something; null when that is every
  // part (or the index is in one). Pagefind leaves out a word an index does not have, so a part without one of
  // the words would answer for the others alone.
  function among(searches) {
    if (!parts.length) return null;
    const holding = parts.filter((part) => searches.every((search) => (search.filters?.[PART]?.[part] || 0) > 0));
    return holding.length === parts.length ? null : holding;
  }

  // ``filters`` narrowed to the parts ``holding`` (null: all of them).
  function within(filters, holding) {
    return holding ? { ...filters, [PART]: { any: holding } } : filters;
  }

  // Pagefind's search of the parts ``holding``. By date, each part is searched in turn, newest first: Pagefind
  // scores a sorted result by its place in its own part, and the parts hold consecutive days; the patch part's
  // results (by date too) come apart (``patched``), to go in among them as they are shown. A part holding
  // superseded records is searched alone, so that its results are known to be its own, and those records left out
  // (``searchPart``).
  async function find(pagefind, term, options, holding) {
    if (holding && !holding.length) return { results: [] }; // no part has every word: no page has
    const searched = holding || parts;
    if (options.sort && parts.length) {
      const each = [];
      for (const part of searched) if (part !== patch) each.push(await searchPart(pagefind, term, options, part));
      const results = each.flatMap((search) => search.results);
      if (!patch || !searched.includes(patch)) return { results };
      return { results, patched: (await searchPart(pagefind, term, options, patch)).results };
    }
    if (!stale.size) return pagefind.search(term, { ...options, filters: within(options.filters, holding) });
    const clean = searched.filter((part) => !stale.has(part));
    const searches = await Promise.all([
      ...(clean.length ? [pagefind.search(term, { ...options, filters: within(options.filters, clean) })] : []),
      ...searched.filter((part) => stale.has(part)).map((part) => searchPart(pagefind, term, options, part)),
    ]);
    const results = searches.flatMap((search) => search.results).sort((a, b) => b.score - a.score); // as Pagefind merges
    return { results, filters: summed(searches.map((search) => search.filters)) };
  }

  // Pagefind's search of the part ``part`` alone, less the records there that others supersede, and their filters'
  // values less in its counts.
  async function searchPart(pagefind, term, options, part) {
    const search = await pagefind.search(term, { ...options, filters: { ...options.filters, [PART]: part } });
    const gone = stale.get(part);
    if (!gone) return search;
    const filters = summed([search.filters]);
    const results = search.results.filter((result) => {
      const superseded = gone.get(result.id);
      if (!superseded) return true;
      for (const [name, values] of [...Object.entries(superseded), [PART, [part]]]) {
        for (const value of Array.isArray(values) ? values : []) if (filters[name]?.[value] > 0) filters[name][value] -= 1;
      }
      return false;
    });
    return { ...search, results, filters };
  }

  function say(text) {
    if (status.textContent !== text) status.textContent = text;
  }

  // Below the status: the search again without the words found nowhere, when other words remain.
  function suggest(query, words) {
    hint.replaceChildren();
    hint.hidden = !words;
    if (!words) return;
    const url = new URL(window.location.href);
    url.searchParams.set("q", words);
    const link = element("a");
    link.href = url.href;
    link.textContent = words;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      input.value = words;
      run(words);
    });
    hint.append("Tìm với các từ còn lại: ", link);
  }

  function keepInAddress(query) {
    const url = new URL(window.location.href);
    const kept = [["q", query], ...[...filters, order].filter(Boolean).map((select) => [select.name, select.value])];
    for (const [name, value] of kept) {
      if (value) url.searchParams.set(name, value);
      else url.searchParams.delete(name);
    }
    if (url.href !== window.location.href) window.history.replaceState(window.history.state, "", url);
  }

  // The filters chosen, as Pagefind takes them ({campaign: "…", place: "…", year: "…"}), but ``except`` one.
  function chosen(except) {
    const picked = {};
    for (const select of filters) if (select.value && select !== except) picked[select.dataset.filter] = select.value;
    return picked;
  }

  // What the order select asks of Pagefind: its sort by the records' dates (data-pagefind-sort), or its ranking.
  function ordering() {
    return order && order.value === "moi-nhat" ? { sort: { date: "desc" } } : {};
  }

  // Each choice's count: the results there would be with it chosen instead of the select's current choice
  // (Pagefind counts each filter's values among a search's results, once its filter files are loaded).
  async function count(pagefind, query, holding) {
    const per = await Promise.all(filters.map((select) => find(pagefind, query, { filters: chosen(select) }, holding)));
    filters.forEach((select, i) => {
      const counts = (per[i] && per[i].filters && per[i].filters[select.dataset.filter]) || {};
      for (const option of select.options) {
        if (!option.value) continue;
        const n = counts[option.value] || 0;
        option.textContent = `${option.dataset.label} (${n.toLocaleString("vi-VN")})`;
        option.disabled = n === 0 && option.value !== select.value;
      }
    });
  }

  function uncount() {
    for (const select of filters) {
      for (const option of select.options) {
        if (!option.value) continue;
        option.textContent = option.dataset.label;
        option.disabled = false;
      }
    }
  }

  async function run(text) {
    const mine = ++turn;
    const query = text.trim();
    keepInAddress(query);
    const narrowed = Object.keys(chosen()).length > 0;
    if (!query && !narrowed) {
      found = [];
      list.replaceChildren();
      more.hidden = true;
      suggest("", "");
      counted = null;
      uncount();
      say("");
      return;
    }
    say("Đang tìm…");
    if (narrowed && filters.length) loadCounts(); // the reader uses the filters: count their choices
    const typed = words(query);
    const folded = typed.map((word) => word.folded);
    const asked = query ? ` cho “${query}”` : "";
    const term = folded.length ? folded.join(" ") : null;
    let search;
    let missing = [];
    let holding = null;
    try {
      const pagefind = await load();
      const options = { filters: chosen(), ...ordering() };
      if (query && !folded.length) {
        search = { results: [] }; // nothing searchable typed ("đã" alone)
      } else {
        // Each word alone, over the whole index: Pagefind would leave out one it has nowhere.
        const alone = await Promise.all(folded.map((word) => find(pagefind, word, { filters: {} }, null)));
        missing = typed.filter((_, i) => !alone[i].results.length);
        holding = among(alone);
        search = missing.length ? { results: [] } : await find(pagefind, term, options, holding);
      }
      if (search.results.length > 1 && !options.sort && typed.some((word) => word.exact !== word.folded)) {
        const exactWords = typed.map((word) => word.exact);
        let exactHolding = holding;
        if (parts.length) {
          // Only the exact words the index has somewhere, as Pagefind leaves out the others with one part.
          const each = await Promise.all(exactWords.map((word) => find(pagefind, word, { filters: {} }, null)));
          exactHolding = both(holding, among(each.filter((one) => one.results.length)));
        }
        const exact = await find(pagefind, exactWords.join(" "), { filters: chosen() }, exactHolding);
        search.results = exactFirst(search.results, exact.results);
      }
    } catch (error) {
      if (mine === turn) say("Chưa tải được chỉ mục tìm kiếm. Vui lòng thử lại sau.");
      return;
    }
    if (mine !== turn) return; // a newer query is under way
    counted = missing.length || (query && !term) ? null : { term, holding };
    found = search.results;
    early = (search.patched || []).map((result) => ({ result, data: null }));
    total = found.length + early.length;
    wanted = folded;
    shown = 0;
    next = 0;
    list.replaceChildren();
    more.hidden = true;
    if (missing.length) {
      // Named when other words were found: the reader sees which one to change; the others offered alone.
      const rest = typed.filter((word) => !missing.includes(word)).map((word) => word.typed);
      const named = missing.map((word) => `“${word.typed}”`).join(", ");
      const which = `: không có trang nào chứa ${missing.length > 1 ? "các " : ""}từ ${named}`;
      say(`Không tìm thấy kết quả nào${asked}${rest.length ? which : ""}.`);
      suggest(query, rest.join(" "));
      uncount();
      return;
    }
    suggest(query, "");
    if (!total) say(`Không tìm thấy kết quả nào${asked}.`);
    else if (await show(mine)) say(`Tìm thấy ${total.toLocaleString("vi-VN")} kết quả${asked}.`);
    if (counting && counted && mine === turn) {
      const pagefind = await loadCounts();
      if (pagefind && mine === turn) await count(pagefind, counted.term, counted.holding);
    }
  }

  // The next results: ``found``'s in order, a patch part's result (by date) before the first that is older; each
  // patch result's fragment fetched when it is next in line.
  async function show(mine) {
    const shownNow = [];
    let taken = 0;
    try {
      const batch = await Promise.all(found.slice(next, next + PAGE).map((result) => result.data()));
      while (mine === turn && shownNow.length < PAGE && (taken < batch.length || early.length)) {
        const moved = early.length ? (early[0].data ||= await early[0].result.data()) : null;
        if (mine !== turn) return false; // a newer query's results are in ``found`` and ``early`` now
        const last = next + taken >= found.length; // every result of ``found`` shown: the patch's follow
        if (moved && (taken < batch.length ? newer(moved, batch[taken]) : last)) shownNow.push(early.shift().data);
        else if (taken < batch.length) shownNow.push(batch[taken++]);
        else break;
      }
    } catch (error) {
      if (mine === turn) say("Chưa tải được kết quả. Vui lòng thử lại.");
      return false;
    }
    if (mine !== turn) return false;
    next += taken;
    list.append(...shownNow.map((data) => item(data, wanted)));
    shown += shownNow.length;
    more.hidden = shown >= total;
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
        say(`Đang hiện ${shown.toLocaleString("vi-VN")} trên ${total.toLocaleString("vi-VN")} kết quả.`);
      }
    } finally {
      more.disabled = false;
    }
  });

  if (choices && filters.length) {
    const turnToFilters = async () => {
      const mine = turn;
      const pagefind = await loadCounts();
      if (pagefind && counted && mine === turn) await count(pagefind, counted.term, counted.holding);
    };
    choices.addEventListener("focusin", turnToFilters, { once: true });
    choices.addEventListener("pointerdown", turnToFilters, { once: true });
  }

  const asked = new URLSearchParams(window.location.search);
  for (const select of [...filters, order].filter(Boolean)) {
    select.addEventListener("change", () => {
      clearTimeout(timer);
      run(input.value);
    });
    const value = asked.get(select.name);
    if (value && [...select.options].some((option) => option.value === value)) select.value = value;
  }
  const query = asked.get("q") || "";
  input.value = query;
  if (query || Object.keys(chosen()).length) run(query);
}

// Whether the result ``data`` is dated after ``other`` (a page without a date is older than any).
function newer(data, other) {
  return (data.meta?.date || "") > (other.meta?.date || "");
}

// Pagefind's filter counts ({name: {value: count}}) of several searches added up, as a new object.
function summed(all) {
  const sums = {};
  for (const filters of all) {
    for (const [name, values] of Object.entries(filters || {})) {
      sums[name] = sums[name] || {};
      for (const [value, count] of Object.entries(values || {})) sums[name][value] = (sums[name][value] || 0) + count;
    }
  }
  return sums;
}

// The parts in both lists (null: every part).
function both(first, second) {
  if (!first || !second) return first || second;
  return first.filter((part) => second.includes(part));
}

// The results with those also found by the exact search (``exact``) first, each part in Pagefind's order.
function exactFirst(results, exact) {
  const first = new Set(exact.map((result) => result.id));
  return [...results.filter((result) => first.has(result.id)), ...results.filter((result) => !first.has(result.id))];
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

// The query's words: each as typed, folded (what the index holds of every spelling) and exact (a word with
// diacritics as frontline/output/search.py writes its exact form, one without them folded). "đã" is not indexed (a particle in every
// story), so it is dropped from the query rather than making it find nothing. Quotes (Pagefind's exact
// phrase) are kept.
function words(query) {
  return query
    .split(/\s+/)
    .filter((word) => word && !unsearched(word) && bare(word))
    .map((word) => ({ typed: word, folded: fold(word), exact: exactForm(word) }));
}

function unsearched(word) {
  return bare(word.normalize("NFC").toLowerCase()) === "đã";
}

// Telex's letters for the diacritics (frontline/output/search.py, _MARK_LETTERS): sorted, ended by "z".
const MARKS = { "\u0300": "f", "\u0301": "s", "\u0309": "r", "\u0303": "x", "\u0323": "j", "\u0302": "a", "\u0306": "w", "\u031b": "w" };

function exactForm(word) {
  return word
    .normalize("NFC")
    .toLowerCase()
    .replace(/[\p{L}\p{N}_]+/gu, (part) => {
      const letters = [];
      for (const character of part) {
        if (character === "đ") letters.push("d");
        for (const mark of [...character.normalize("NFD")].slice(1)) if (/\p{M}/u.test(mark)) letters.push(MARKS[mark] || "k");
      }
      return letters.length ? `‿${fold(part)}‿${letters.sort().join("")}z` : fold(part);
    });
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
