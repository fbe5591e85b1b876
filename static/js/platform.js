// Create your store: the Timezone select starts at the browser's own zone when we list it.
(function () {
  var select = document.getElementById("id_timezone");
  if (!select || select.dataset.chosen) return;
  // Chromium and others report ICU's older names for some zones; the tz database's current
  // names are what sellers recognise ("Kolkata", not "Calcutta").
  var CURRENT_NAMES = {
    "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Asia/Rangoon": "Asia/Yangon",
    "Europe/Kiev": "Europe/Kyiv",
    "America/Godthab": "America/Nuuk",
    "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
    "Atlantic/Faeroe": "Atlantic/Faroe",
    "Pacific/Truk": "Pacific/Chuuk",
    "Pacific/Ponape": "Pacific/Pohnpei",
    "Pacific/Enderbury": "Pacific/Kanton",
  };
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    return; // an old browser: the seller picks the zone
  }
  var candidates = [CURRENT_NAMES[zone], zone];
  for (var i = 0; i < candidates.length; i++) {
    var name = candidates[i];
    var known = name && Array.prototype.some.call(select.options, function (option) {
      return option.value === name;
    });
    if (known) {
      select.value = name;
      return;
    }
  }
})();
