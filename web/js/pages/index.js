// pages/index.js - every page module of the dashboard; each registers itself
// in registry.js.  A new page (yard, queue, AGV map, events, invoices) is one
// more module here.
import './overview.js';
import './kpis.js';
import './audit.js';
import './tasks.js';
import './declarations.js';
import './vehicles.js';
import './drivers.js';
import './yard.js';
import './queue.js';
import './bookings.js';
import './invoices.js';
import './warehouse.js';
import './fees.js';
import './road.js';
import './inspection.js';
