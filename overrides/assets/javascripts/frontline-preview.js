// frontline preview: every page it serves shows what the content has wrong, so a reporter sees a mistake
// where they are looking. The list comes from the last preview build; the page reloads itself after each
// rebuild (MkDocs' livereload), so the banner goes when the file is mended. Text only: a problem quotes content.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.dataset.problems) return;
  var address = script.dataset.problems;

  function show(problems) {
    if (!Array.isArray(problems) || problems.length === 0) return;
    var wrong = problems.filter(function (problem) { return !problem.warning; }).length;
    var banner = document.createElement("section");
    banner.className = "fl-preview-problems";
    banner.setAttribute("role", "alert");
    var heading = document.createElement("h2");
    heading.textContent = wrong
      ? "Nội dung có " + wrong + " lỗi: những bài này chưa hiện trong bản xem trước"
      : problems.length + " cảnh báo (không chặn xuất bản)";
    banner.appendChild(heading);
    var list = document.createElement("ul");
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      var code = document.createElement("code");
      code.textContent = String(problem.text);
      item.appendChild(code);
      list.appendChild(item);
    });
    banner.appendChild(list);
    var hint = document.createElement("p");
    hint.textContent = "Sửa tệp rồi lưu: trang tự tải lại.";
    banner.appendChild(hint);
    document.body.insertBefore(banner, document.body.firstChild);
  }

  function load() {
    fetch(address, { cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(show)
      .catch(function () {});
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", load);
  else load();
})();
