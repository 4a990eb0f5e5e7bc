/* Products.RefreshManager live reload: one stream per browser, shared by
   its tabs. Each page sends the stream's address; the worker follows it
   and passes every generation on. When the stream breaks because Zope
   is down (restarting), the worker waits until Zope answers again and
   then tells the pages that followed that stream to reload: they get the
   new process's address (a page the new process made has it already). */
var ports = [], source = null, address = null, opened = false;

function tell(news) {
  ports.forEach(function (port) { port.postMessage(news); });
}

function zopeAnswers() {
  return fetch(self.location.href, {cache: 'no-store'}).then(
    function (answer) { return answer.ok; },
    function () { return false; });
}

function waitForZope(lost) {
  zopeAnswers().then(function (up) {
    if (up) { tell({restarted: lost}); }
    else { setTimeout(function () { waitForZope(lost); }, 200); }
  });
}

function follow(url) {
  if (url === address) { return; }
  if (source) { source.close(); }
  address = url;
  opened = false;
  source = new EventSource(url);
  source.onopen = function () { opened = true; };
  source.onmessage = function (message) {
    tell({generation: +message.data});
  };
  source.onerror = function () {
    if (!opened) { return; }  /* never reached it: nothing to wait for */
    opened = false;
    zopeAnswers().then(function (up) {
      if (!up) {
        var lost = address;
        source.close();
        address = null;
        waitForZope(lost);
      }
    });
  };
}

onconnect = function (connection) {
  var port = connection.ports[0];
  ports.push(port);
  port.onmessage = function (message) { follow(message.data); };
  port.start();
};
