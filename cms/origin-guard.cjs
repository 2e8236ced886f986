// Loaded into decap-server (`node --require`) by `frontline cms`. decap-server has no login and answers every
// origin (its CORS policy is `*`), so any web page open in the reporter's browser could write into the project
// through it. Only the editor's own page may: a request naming another origin, or another host, is refused.
// And even the editor's page writes only where the editor's collections live (FRONTLINE_CMS_WRITABLE: the stories,
// the campaign pages, the media folder): decap-server itself would write any file of the project (mkdocs.yml, the
// templates, the hooks, which run at the next build).
"use strict";
const fs = require("fs");
const http = require("http");
const path = require("path");

const words = (name) => new Set((process.env[name] || "").split(" ").filter(Boolean));
const origins = words("FRONTLINE_CMS_ORIGINS");
const hosts = words("FRONTLINE_CMS_HOSTS");
const emit = http.Server.prototype.emit;

http.Server.prototype.emit = function (event, request, response) {
  if (event === "request") {
    const origin = request.headers.origin;
    if (!hosts.has(request.headers.host) || (origin !== undefined && !origins.has(origin))) {
      response.writeHead(403, { "Content-Type": "text/plain; charset=utf-8" });
      response.end("Chỉ trang soạn bài của Frontline được dùng máy chủ này.\n");
      return true;
    }
  }
  return emit.apply(this, arguments);
};

const writable = [...words("FRONTLINE_CMS_WRITABLE")].map((folder) => path.resolve(folder));
const allowed = (target) => {
  const resolved = path.resolve(String(target));
  return writable.some((folder) => resolved === folder || resolved.startsWith(folder + path.sep));
};
const refuse = (target) => {
  const error = new Error(`Trang soạn bài không được ghi vào ${target}: chỉ bài viết, chiến dịch và ảnh.`);
  error.code = "EACCES";
  console.error(error.message); // decap-server answers the page "Unknown error": the terminal says why
  return error;
};
const guarded = (name, paths) => {
  const original = fs.promises[name];
  fs.promises[name] = function (...args) {
    const denied = args.slice(0, paths).find((target) => !allowed(target));
    return denied === undefined ? original.apply(this, args) : Promise.reject(refuse(denied));
  };
};
guarded("writeFile", 1);
guarded("unlink", 1);
guarded("rename", 2);
guarded("mkdir", 1);
