/* Products.RefreshManager live reload: one stream per browser, shared by
   its tabs. Each page sends the stream's address; the worker follows it
   and passes every generation on. When the stream breaks because Zope
   is down (restarting), the worker waits until Zope answers again and
   then tells the pages to reload: they get the new process's address. */
var ports = [], source = null, address = null, opened = false;

function tell(news) {
  ports.forEach(function (port) { port.postMessage(news); });
}

function zopeAnswers() {
  return fetch(self.location.href, {cache: 'no-store'}).then(
    function (answer) { return answer.ok; },
    function () { return false; });
}

function waitForZope() {
  zopeAnswers().then(function (up) {
    if (up) { tell({restarted: true}); } else { setTimeout(waitForZope, 200); }
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
      if (!up) { source.close(); address = null; waitForZope(); }
    });
  };
}

onconnect = function (connection) {
  var port = connection.ports[0];
  ports.push(port);
  port.onmessage = function (message) { follow(message.data); };
  port.start();
};
