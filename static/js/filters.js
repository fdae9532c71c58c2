/* The filter forms open the canonical address of the view they describe (funding/addresses.py):
   parameters in the form's order, every default left out. A field names its default in
   data-default; a group of checkboxes is left out when exactly its default is checked. Without
   JavaScript the form still works: it sends every field, which the server reads the same way. */
(function () {
  "use strict";

  function canonical(form) {
    var params = new URLSearchParams();
    var values = {};
    var defaults = {};
    var order = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled) {
        return;
      }
      if (!(field.name in values)) {
        values[field.name] = [];
        order.push(field.name);
      }
      if (field.hasAttribute("data-default")) {
        defaults[field.name] = field.getAttribute("data-default");
      }
      var chosen = (field.type === "checkbox" || field.type === "radio") ? field.checked : true;
      if (chosen && field.value !== "") {
        values[field.name].push(field.value);
      }
    });
    order.forEach(function (name) {
      var given = values[name];
      if (name in defaults && given.length === 1 && given[0] === defaults[name]) {
        return;
      }
      given.forEach(function (value) { params.append(name, value); });
    });
    var query = params.toString();
    return form.getAttribute("action") + (query ? "?" + query : "");
  }

  document.querySelectorAll("form[data-canonical]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!form.checkValidity()) {
        return;
      }
      event.preventDefault();
      window.location.assign(canonical(form));
    });
  });
})();
