"""What the Refresh tab and ``manage_refreshStatus`` show of the cluster:
the latest request for a product, and where each process stands.

A process that stopped reporting is shown as stopped, whatever its last
result: it may be gone, or cut off from the database, but it did not
fail the refresh.
"""
import time

from . import process
from .records import cluster_requests


def _when(timestamp):
    return time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(timestamp))


def product_status(root, product, now=None):
    """Plain data for `product`, as ``manage_refreshStatus`` sends it."""
    member = process.member
    status = {'product': product, 'cluster': member is not None,
              'reason': process.reason, 'request': None, 'processes': []}
    requests = cluster_requests(root)
    if member is None or requests is None:
        return status
    now = time.time() if now is None else now
    status['request'] = requests.latest(product)
    for key, record in requests.processes.items():
        result = record.results.get(product, {})
        status['processes'].append({
            'host': record.host,
            'pid': record.pid,
            'this_process': key == member.key,
            'started': record.started,
            'last_reported': record.reported,
            'reporting': not record.stopped(now, member.host),
            'generation': result.get('generation', 0),
            'ok': result.get('ok'),
            'error': result.get('error'),
            'applied_at': result.get('when'),
            'adopted': result.get('adopted', False),
        })
    return status


def live_processes(root):
    """How many processes report in, this one included."""
    member = process.member
    requests = cluster_requests(root)
    if member is None:
        return 1
    now = time.time()
    others = sum(1 for key, record in (
        requests.processes.items() if requests is not None else ())
        if key != member.key and not record.stopped(now, member.host))
    return others + 1


def scope_choice(root):
    """What a form that refreshes offers between every process and this
    one; None when this process takes no part in cluster refreshes."""
    if process.member is None:
        return None
    live = live_processes(root)
    return {'live': live, 'default': 'cluster' if live > 1 else 'process'}


def _state(row, generation):
    if not row['reporting']:
        return 'stopped', 'secondary', 'stopped reporting'
    if row['generation'] < generation:
        return 'pending', 'info', 'not applied yet'
    if row['ok'] is False:
        return 'failed', 'danger', 'failed, kept its code'
    if row['adopted']:
        return 'adopted', 'success', 'started with this code'
    if row['ok']:
        return 'applied', 'success', 'applied'
    return 'none', 'light', 'no cluster refresh yet'


def tab_info(root, product):
    """The Refresh tab's cluster section: None when this process takes
    no part in cluster refreshes (then the tab says why)."""
    status = product_status(root, product)
    if not status['cluster']:
        return None
    request = status['request']
    generation = request['generation'] if request else 0
    rows = []
    for row in status['processes']:
        state, badge, label = _state(row, generation)
        rows.append(dict(
            row, state=state, badge=badge, label=label,
            name=f"{row['host']} {row['pid']}",
            started_text=_when(row['started']),
            reported_text=_when(row['last_reported'])))
    live = sum(1 for row in rows if row['reporting'])
    return {
        'reason': status['reason'],
        'live': live,
        'default': 'cluster' if live > 1 else 'process',
        'generation': generation,
        'request': request and dict(request, when_text=_when(request['when'])),
        'processes': rows,
        'check_interval': process.thread.check_interval
        if process.thread is not None else None,
    }
