// A live page following itself: while the tab is visible, poll the page's updates.json (every
// data-poll-seconds, 30) and keep the updates the page does not show yet behind a "N cập nhật mới" button,
// so that nothing moves under the reader; a click puts them at the top of the stream. Polling stops for good
// when updates.json says coverage has ended. Without JavaScript the page is complete as built.
// New updates are built with DOM calls like partials/frontline/live-update.html builds them (a pinned one also
// under "Đáng chú ý", as the page built it); their body is the build's HTML, cleaned by its allowlist, as on the page. `?fl-poll=N` (seconds) is honoured for tests.

function start() {
  const root = document.getElementById("fl-live");
  if (!root || root.dataset.live !== "true" || !root.dataset.updates) return;
  const stream = root.querySelector(".fl-live__updates");
  const button = root.querySelector(".fl-live__more");
  const url = new URL(root.dataset.updates, document.baseURI);
  const asked = Number(new URLSearchParams(location.search).get("fl-poll"));
  const seconds = asked >= 1 ? asked : Number(root.dataset.pollSeconds) || 30;
  let pending = []; // updates fetched, not shown yet, newest first
  let digest = "";
  let timer = 0;
  let stopped = false;

  const shown = () => new Set([...stream.querySelectorAll("[data-update]")].map((node) => node.dataset.update));

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // `copy`: the pinned copy under "Đáng chú ý", which links to the update in the stream and shows its date.
  function build(update, copy) {
    const article = element("article", "fl-update" + (update.pinned ? " fl-update--pinned" : ""));
    if (copy) article.dataset.pinned = update.id;
    else {
      article.id = update.anchor;
      article.dataset.update = update.id;
    }
    const header = element("header", "fl-update__header");
    const link = element("a", "fl-update__time");
    link.href = "#" + update.anchor;
    link.title = "Liên kết tới cập nhật này";
    const time = element("time", "", update.clock);
    time.dateTime = update.time;
    if (copy) time.append(element("span", "fl-update__day", " · " + update.day));
    link.append(time);
    header.append(link);
    if (update.pinned) header.append(element("span", "fl-update__pin", "Đáng chú ý"));
    header.append(element("span", "fl-update__authors", update.authors.join(", ")));
    article.append(header);
    if (update.title) article.append(element("h3", "fl-update__title", update.title));
    if (update.image) {
      const figure = element("figure", "fl-update__image");
      const image = element("img");
      image.src = new URL(update.image.src, document.baseURI).href;
      image.alt = update.image.alt;
      image.loading = "lazy";
      figure.append(image);
      if (update.image.caption) figure.append(element("figcaption", "", update.image.caption));
      article.append(figure);
    }
    const body = element("div", "fl-update__body");
    body.innerHTML = update.html; // the build's HTML, cleaned by its allowlist (frontline/content/sanitize.py)
    article.append(body);
    return article;
  }

  function announce() {
    button.hidden = pending.length === 0;
    button.textContent = pending.length === 1 ? "1 cập nhật mới" : `${pending.length} cập nhật mới`;
  }

  async function poll() {
    timer = 0;
    if (stopped || document.visibilityState !== "visible") return;
    try {
      // "no-cache": the server is asked each time, and answers 304 when the file has not changed.
      const response = await fetch(url, { cache: "no-cache" });
      if (response.ok) {
        const data = await response.json();
        if (data.digest !== digest) {
          digest = data.digest;
          const known = shown();
          pending = data.updates.filter((update) => !known.has(update.id));
          announce();
        }
        if (!data.live) stopped = true;
      }
    } catch (error) {
      // offline for a moment: the next poll tries again
    }
    schedule();
  }

  function schedule() {
    if (!stopped && !timer && document.visibilityState === "visible") timer = setTimeout(poll, seconds * 1000);
  }

  // The "Đáng chú ý" section, made as live.html makes it when the page was built without a pinned update.
  function pinnedSection() {
    let section = root.querySelector(".fl-live__pinned");
    if (!section) {
      section = element("section", "fl-live__pinned");
      section.setAttribute("aria-labelledby", "fl-live-pinned");
      const heading = element("h2", "", "Đáng chú ý");
      heading.id = "fl-live-pinned";
      section.append(heading);
      root.querySelector(".fl-live__stream").before(section);
    }
    return section;
  }

  button.addEventListener("click", () => {
    const pinned = pending.filter((update) => update.pinned).map((update) => build(update, true));
    if (pinned.length) pinnedSection().querySelector("h2").after(...pinned);
    const fresh = pending.map((update) => build(update, false));
    pending = [];
    stream.prepend(...fresh);
    announce();
    const empty = root.querySelector(".fl-empty");
    if (empty) empty.remove();
    if (fresh.length) {
      fresh[0].setAttribute("tabindex", "-1");
      fresh[0].focus();
    }
  });

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") schedule();
    else if (timer) {
      clearTimeout(timer);
      timer = 0;
    }
  });
  schedule();
}

start();
