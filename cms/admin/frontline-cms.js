// Frontline's setup of Decap CMS, run before it starts: the Vietnamese interface (Decap's bundle registers only
// English), the site's own stylesheets in the preview pane, and a story preview laid out like a story page.
import vi from "./decap-locale-vi.js";
import missing from "./vi-bo-sung.js";

function merged(base, extra) {
  const result = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    result[key] = typeof value === "object" ? merged(base[key] || {}, value) : value;
  }
  return result;
}

const CMS = window.CMS;
CMS.registerLocale("vi", merged(vi, missing));

// The preview pane is a frame of its own: stylesheets are given as absolute addresses.
for (const sheet of ["giao-dien/material.css", "giao-dien/palette.css", "giao-dien/frontline.css"]) {
  CMS.registerPreviewStyle(new URL(sheet, document.baseURI).href);
}

const h = window.h;

function text(entry, name) {
  const value = entry.getIn(["data", name]);
  return value == null ? "" : String(value);
}

function when(value) {
  const moment = value ? new Date(value) : null;
  if (!moment || Number.isNaN(moment.getTime())) return value;
  return moment.toLocaleString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh", dateStyle: "long", timeStyle: "short" });
}

// React elements only: every value is text content, escaped by React, never HTML.
function StoryPreview({ entry, widgetFor, getAsset }) {
  const image = text(entry, "image");
  const asset = image ? getAsset(image) : null;
  const caption = text(entry, "image_caption");
  return h(
    "article",
    { className: "md-content__inner md-typeset fl-story" },
    text(entry, "draft") === "true" ? h("p", { className: "fl-draft-note" }, "Bản nháp") : null,
    h("h1", {}, text(entry, "title")),
    h("p", { className: "fl-story__meta" }, [text(entry, "location"), when(text(entry, "date"))].filter(Boolean).join(" · ")),
    text(entry, "summary") ? h("p", { className: "fl-story__summary" }, h("strong", {}, text(entry, "summary"))) : null,
    asset
      ? h(
          "figure",
          {},
          h("img", { src: asset.toString(), alt: text(entry, "image_alt") }),
          caption ? h("figcaption", {}, caption) : null,
        )
      : null,
    widgetFor("body"),
  );
}

CMS.registerPreviewTemplate("stories", StoryPreview);
CMS.init();
