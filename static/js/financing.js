// Live balance on the financing step: recomputes as the person types. The server's
// summary above stays the record; this only saves a round trip.
(function () {
  "use strict";
  var box = document.querySelector("[data-financing-live]");
  if (!box) { return; }
  var form = box.closest("form");
  var costs = parseFloat(box.dataset.totalCosts);
  var thirdParty = parseFloat(box.dataset.thirdParty);
  var rate = parseFloat(box.dataset.hourlyRate);
  var capPercent = parseFloat(box.dataset.capPercent);
  var locale = document.documentElement.lang === "en" ? "en-GB" : "de-DE";
  var money = new Intl.NumberFormat(locale, { style: "currency", currency: "EUR" });

  function amount(text) {
    text = (text || "").replace(/[€\s\u00a0]/g, "");
    if (text.indexOf(",") >= 0) { text = text.replace(/\./g, "").replace(",", "."); }
    else if (/^\d{1,3}(\.\d{3})+$/.test(text)) { text = text.replace(/\./g, ""); }
    var value = parseFloat(text);
    return isNaN(value) ? 0 : value;
  }

  function field(name) {
    var input = form.querySelector("[name='plan-" + name + "']");
    return input ? amount(input.value) : 0;
  }

  function update() {
    var volunteer = Math.min(field("volunteer_hours") * rate, costs * capPercent / 100);
    var financing = field("own_funds") + volunteer + thirdParty + field("requested_amount");
    var difference = Math.round((financing - costs) * 100) / 100;
    box.querySelector("[data-financing-total]").textContent = money.format(financing);
    box.querySelector("[data-financing-difference]").textContent = money.format(difference);
  }

  form.addEventListener("input", update);
  box.hidden = false;
  update();
})();
