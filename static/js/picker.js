/* Searchable pickers (consortium/core/pickers.py): every <select data-picker> gets a filter
   box above it. Typing keeps the options whose label or data-search (Chinese and English
   names, pinyin and its initials) contain every typed word; the chosen options always stay.
   A single choice stays a native select (Arrow Down or Enter in the filter moves to it); a
   multiple choice becomes a list of checkboxes (no ctrl-click) that sets the hidden select,
   which is what the form posts. Without JavaScript the select works as it is. Texts come
   translated from the script tag's data attributes (templates/base.html). */
(function () {
  "use strict";
  var script = document.currentScript;
  var text = {
    filter: script.getAttribute("data-filter") || "Type to filter",
    matches: script.getAttribute("data-matches") || "%d matching",
    none: script.getAttribute("data-none") || "Nothing matches",
    entries: script.getAttribute("data-entries") || "Search the resource map",
    remove: script.getAttribute("data-remove") || "Remove %s"
  };

  function words(value) {
    return (value || "").normalize("NFKC").toLowerCase().split(/\s+/).filter(Boolean);
  }

  function matcher(query) {
    // a Latin word (pinyin, initials, English) matches the start of a word of the haystack,
    // so "qd" finds 青岛 (qds) and not 那曲地区 (nqdq); Chinese matches anywhere (岛 finds 青岛)
    var wanted = words(query);
    return function (haystack) {
      return wanted.every(function (w) {
        return /^[\x00-\x7f]+$/.test(w) ? (" " + haystack).indexOf(" " + w) !== -1 : haystack.indexOf(w) !== -1;
      });
    };
  }

  function haystackOf(option) {
    return (option.text + " " + (option.getAttribute("data-search") || "")).normalize("NFKC").toLowerCase();
  }

  function labelOf(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.trim() : "";
  }

  function filterBox(select, status) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control form-control-sm mb-1 picker-filter";
    input.id = select.id + "-filter";
    input.placeholder = text.filter;
    input.autocomplete = "off";
    var name = labelOf(select);
    input.setAttribute("aria-label", name ? name + " · " + text.filter : text.filter);
    input.setAttribute("aria-describedby", status.id);
    return input;
  }

  function statusLine(select) {
    var status = document.createElement("div");
    status.id = select.id + "-filter-status";
    status.className = "form-text picker-status";
    status.setAttribute("role", "status");
    return status;
  }

  function say(status, n, query) {
    status.textContent = query ? (n ? text.matches.replace("%d", n) : text.none) : "";
  }

  function single(select) {
    var all = Array.prototype.slice.call(select.options);
    var status = statusLine(select);
    var input = filterBox(select, status);
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(status, select.nextSibling);
    input.addEventListener("input", function () {
      var keep = matcher(input.value);
      var current = select.options[select.selectedIndex];
      var found = all.filter(function (o) { return o.value && keep(haystackOf(o)); });
      var shown = all;
      if (input.value && found.length) {
        shown = all.filter(function (o) { return !o.value || found.indexOf(o) !== -1; });
      } else if (input.value) {
        shown = all.filter(function (o) { return !o.value || o === current; });  // nothing matches: keep the choice
      }
      select.replaceChildren.apply(select, shown);
      if (current && shown.indexOf(current) !== -1) {
        current.selected = true;
      } else if (found.length) {
        found[0].selected = true;  // the first match is the choice until the reader picks another
        select.dispatchEvent(new Event("change", {bubbles: true}));
      }
      say(status, found.length, input.value);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === "ArrowDown") {
        e.preventDefault();  // Enter chooses the match; it does not send the form
        select.focus();
      }
    });
  }

  function multiple(select) {
    var status = statusLine(select);
    var input = filterBox(select, status);
    var list = document.createElement("div");
    list.className = "picker-list border rounded px-2 py-1";
    list.id = select.id + "-choices";
    list.setAttribute("role", "group");
    list.setAttribute("aria-label", labelOf(select));
    var rows = Array.prototype.slice.call(select.options).map(function (option, i) {
      var row = document.createElement("div");
      row.className = "form-check";
      var box = document.createElement("input");
      box.type = "checkbox";
      box.className = "form-check-input";
      box.id = select.id + "-choice-" + i;
      box.value = option.value;
      box.checked = option.selected;
      box.addEventListener("change", function () { option.selected = box.checked; });
      var label = document.createElement("label");
      label.className = "form-check-label";
      label.htmlFor = box.id;
      label.textContent = option.text;
      row.appendChild(box);
      row.appendChild(label);
      list.appendChild(row);
      return {row: row, box: box, haystack: haystackOf(option)};
    });
    select.hidden = true;  // still posted: the checkboxes set its options
    var fieldLabel = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (fieldLabel) fieldLabel.htmlFor = input.id;
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(list, select);
    select.parentNode.insertBefore(status, select);
    input.addEventListener("input", function () {
      var keep = matcher(input.value);
      var n = 0;
      rows.forEach(function (r) {
        var show = r.box.checked || keep(r.haystack);
        r.row.hidden = !show;
        if (show && keep(r.haystack)) n += 1;
      });
      say(status, n, input.value);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === "ArrowDown") {
        e.preventDefault();
        var first = rows.filter(function (r) { return !r.row.hidden; })[0];
        if (first) first.box.focus();
      }
    });
  }

  /* The entry picker (consortium/catalog/pickers.py): a text field of entry numbers becomes a
     combobox searching the resource map (its JSON API, as the reader may see it); chosen
     entries are chips with a remove button; the field, hidden, keeps the numbers it posts. */
  function entries(field) {
    var chosen = JSON.parse(field.getAttribute("data-chosen") || "[]");
    var url = field.getAttribute("data-search-url");
    var id = field.id || ("entries-" + Math.random().toString(36).slice(2));
    var chips = document.createElement("ul");
    chips.className = "list-unstyled d-flex flex-wrap gap-1 mb-1 entry-chips";
    chips.id = id + "-chosen";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control entry-search";
    input.id = id + "-search";
    input.placeholder = text.entries;
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id + "-results");
    var results = document.createElement("ul");
    results.className = "list-group entry-results";
    results.id = id + "-results";
    results.setAttribute("role", "listbox");
    results.hidden = true;
    var status = document.createElement("div");
    status.className = "form-text";
    status.id = id + "-search-status";
    status.setAttribute("role", "status");
    input.setAttribute("aria-describedby", status.id);
    var label = document.querySelector('label[for="' + field.id + '"]');
    if (label) label.htmlFor = input.id;
    Array.prototype.forEach.call(field.parentNode.querySelectorAll(".form-text"), function (hint) {
      hint.hidden = true;  // "numbers separated by commas" is for the page without JavaScript
    });
    field.type = "hidden";
    field.parentNode.insertBefore(chips, field);
    field.parentNode.insertBefore(input, field);
    field.parentNode.insertBefore(results, field);
    field.parentNode.insertBefore(status, field);
    var found = [];
    var active = -1;
    var timer = null;

    function sync() {
      field.value = chosen.map(function (c) { return c.id; }).join(", ");
      chips.replaceChildren();
      chosen.forEach(function (c, i) {
        var li = document.createElement("li");
        li.className = "badge text-bg-light border d-inline-flex align-items-center gap-1 entry-chip";
        li.appendChild(document.createTextNode(c.label));
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn-close btn-close-sm";
        remove.setAttribute("aria-label", text.remove.replace("%s", c.label));
        remove.addEventListener("click", function () {
          chosen.splice(i, 1);
          sync();
          input.focus();
        });
        li.appendChild(remove);
        chips.appendChild(li);
      });
    }

    function close() {
      results.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(i) {
      var items = results.children;
      if (!items.length) return;
      active = (i + items.length) % items.length;
      Array.prototype.forEach.call(items, function (li, j) {
        li.classList.toggle("active", j === active);
        li.setAttribute("aria-selected", j === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", items[active].id);
    }

    function choose(i) {
      var entry = found[i];
      if (!entry) return;
      if (!chosen.some(function (c) { return c.id === entry.id; })) chosen.push(entry);
      sync();
      input.value = "";
      close();
      status.textContent = "";
    }

    function show(items) {
      found = items;
      results.replaceChildren();
      items.forEach(function (entry, i) {
        var li = document.createElement("li");
        li.className = "list-group-item list-group-item-action";
        li.id = id + "-result-" + i;
        li.setAttribute("role", "option");
        li.textContent = entry.label;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        results.appendChild(li);
      });
      results.hidden = !items.length;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      status.textContent = items.length ? text.matches.replace("%d", items.length) : text.none;
      if (items.length) highlight(0);
    }

    function search() {
      var q = input.value.trim();
      if (!q) { close(); status.textContent = ""; return; }
      fetch(url + "?per_page=8&q=" + encodeURIComponent(q), {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : {items: []}; })
        .then(function (data) {
          if (input.value.trim() !== q) return;  // a later search is on its way
          show((data.items || []).map(function (r) {
            return {id: r.id, label: r.title + " · " + r.member.name + " · " + r.city.name};
          }));
        })
        .catch(function () { show([]); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (!results.hidden) highlight(active + (e.key === "ArrowDown" ? 1 : -1));
      } else if (e.key === "Enter") {
        e.preventDefault();  // Enter adds the highlighted entry; it does not send the form
        if (!results.hidden && active >= 0) choose(active);
      } else if (e.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", close);
    sync();
  }

  function enhance(root) {
    Array.prototype.forEach.call(root.querySelectorAll("input[data-entry-picker]"), function (field) {
      if (field.getAttribute("data-entry-picker") === "ready") return;
      entries(field);
      field.setAttribute("data-entry-picker", "ready");
    });
    Array.prototype.forEach.call(root.querySelectorAll("select[data-picker]"), function (select) {
      if (select.getAttribute("data-picker") === "ready") return;
      if (!select.id) select.id = "picker-" + Math.random().toString(36).slice(2);
      (select.multiple ? multiple : single)(select);
      select.setAttribute("data-picker", "ready");
    });
  }

  window.cdouPickers = enhance;  // content replaced in place (inplace.js) gets its pickers too
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
})();
