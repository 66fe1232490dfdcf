// "Añadir otra": a repeated part of a form (actions, needs, goals, route legs) grows by one
// row, a copy of the last one with its inputs emptied and its index moved on
// (`actions.2.type` -> `actions.3.type`). Without JavaScript the buttons stay hidden and
// the form keeps its fixed rows; the server shows every posted row again on an error.
(function () {
  "use strict";

  function renumber(node, list, from, to) {
    var names = new RegExp("^" + list + "\\." + from + "\\.");
    var ids = new RegExp("^(f|err)-" + list + "-" + from + "-");
    ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
      var value = node.getAttribute && node.getAttribute(attr);
      if (!value) return;
      value = value.replace(names, list + "." + to + ".").replace(ids, "$1-" + list + "-" + to + "-");
      node.setAttribute(attr, value);
    });
  }

  function addRow(button) {
    var list = button.getAttribute("data-add-row");
    var box = document.querySelector('[data-rows="' + list + '"]');
    if (!box) return;
    var rows = box.querySelectorAll(":scope > .repeat");
    var max = Number(box.getAttribute("data-max") || "50");
    if (!rows.length || rows.length >= max) return;
    var last = rows[rows.length - 1];
    var from = rows.length - 1;
    var copy = last.cloneNode(true);
    [copy].concat(Array.prototype.slice.call(copy.querySelectorAll("*"))).forEach(function (node) {
      renumber(node, list, from, from + 1);
    });
    copy.querySelectorAll(".field-error").forEach(function (node) { node.remove(); });
    copy.querySelectorAll(".has-error").forEach(function (node) { node.classList.remove("has-error"); });
    copy.querySelectorAll("[aria-invalid]").forEach(function (node) { node.removeAttribute("aria-invalid"); });
    copy.querySelectorAll("input").forEach(function (input) { input.value = ""; });
    copy.querySelectorAll("select").forEach(function (select) {
      // Back to what a new row opens with: the option the page marked, else the first.
      var marked = last.querySelector('select[name="' + select.name.replace(list + "." + (from + 1) + ".", list + "." + from + ".") + '"]');
      select.selectedIndex = 0;
      if (marked) {
        for (var i = 0; i < marked.options.length; i++) {
          if (marked.options[i].defaultSelected && marked.options[i].value) { select.selectedIndex = i; }
        }
      }
    });
    var legend = copy.querySelector("legend");
    if (legend) legend.textContent = legend.textContent.replace(/\d+\s*$/, String(rows.length + 1));
    last.after(copy);
    var first = copy.querySelector("select, input, textarea");
    if (first) first.focus();
    if (rows.length + 1 >= max) button.hidden = true;
  }

  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { addRow(button); });
  });
})();
