/* ParkLink pickers (core/pickers.py): a search box finds rows (htmx fetches the choices from
   /search/pick/<kind>/); clicking one, or Enter on the box for the first, adds it to the hidden
   <select> the form submits and shows it as a chip with a remove button. A single picker keeps
   one row; a multiple one keeps each row once. */
(function () {
  "use strict";

  function chip(box, value, label) {
    var item = document.createElement("li");
    item.dataset.value = value;
    var text = document.createElement("span");
    text.textContent = label;
    var remove = document.createElement("button");
    remove.type = "button";
    remove.setAttribute("data-unpick", "");
    remove.setAttribute("aria-label", (box.dataset.removeLabel || "×") + " " + label);
    remove.textContent = "×";
    item.append(text, remove);
    return item;
  }

  function choose(box, value, label) {
    var select = box.querySelector("select");
    var chosen = box.querySelector(".pl-picker__chosen");
    var search = box.querySelector(".pl-picker__search");
    var results = box.querySelector(".pl-picker__results");
    var taken = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
    if (!taken) {
      if (!select.multiple) {
        select.innerHTML = "";
        chosen.innerHTML = "";
      }
      select.add(new Option(label, value, true, true));
      chosen.append(chip(box, value, label));
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
    search.value = "";
    results.innerHTML = "";
    search.focus();
  }

  function unchoose(box, item) {
    var select = box.querySelector("select");
    Array.prototype.forEach.call(select.options, function (o) {
      if (o.value === item.dataset.value) o.remove();
    });
    item.remove();
    select.dispatchEvent(new Event("change", { bubbles: true }));
    box.querySelector(".pl-picker__search").focus();
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var pick = target.closest("[data-pick]");
    var box = target.closest("[data-picker]");
    if (!box) return;
    if (pick) {
      event.preventDefault();
      choose(box, pick.dataset.pick, pick.dataset.label);
    } else if (target.closest("[data-unpick]")) {
      event.preventDefault();
      unchoose(box, target.closest("li"));
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!(target instanceof Element) || !target.classList.contains("pl-picker__search")) return;
    var box = target.closest("[data-picker]");
    if (event.key === "Enter") {
      event.preventDefault(); // never submits the form from the search box
      var first = box.querySelector("[data-pick]");
      if (first) choose(box, first.dataset.pick, first.dataset.label);
    } else if (event.key === "ArrowDown") {
      var option = box.querySelector("[data-pick]");
      if (option) { event.preventDefault(); option.focus(); }
    } else if (event.key === "Escape") {
      box.querySelector(".pl-picker__results").innerHTML = "";
    }
  });
})();
