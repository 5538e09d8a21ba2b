// jsforce against a running simulator: node check.js <loginUrl> <username> <password>
// Prints one JSON line of what it saw; any failure is one line on stderr and exit status 1.
const jsforce = require('jsforce');

const [loginUrl, username, password] = process.argv.slice(2);
if (!loginUrl || !username || !password) {
  console.error('usage: node check.js <loginUrl> <username> <password>');
  process.exit(2);
}

// every record of a query, the pages followed by jsforce itself
function fetchAll(conn, soql) {
  return new Promise((resolve, reject) => {
    const records = [];
    conn.query(soql)
      .on('record', (r) => records.push(r))
      .on('end', () => resolve(records))
      .on('error', reject)
      .run({ autoFetch: true, maxFetch: 100000 });
  });
}

// every record of a Bulk API 2.0 query job (queryAll with scanAll), as jsforce creates, polls and pages it
function bulkQuery(conn, soql, scanAll) {
  return conn.bulk2.query(soql, { scanAll, pollInterval: 50, pollTimeout: 60000 }).then((stream) => new Promise((resolve, reject) => {
    const records = [];
    stream.on('record', (r) => records.push(r)).on('end', () => resolve(records)).on('error', reject);
  }));
}

async function main() {
  const conn = new jsforce.Connection({ loginUrl, version: '62.0' });
  await conn.login(username, password);

  const created = await conn.sobject('Account').create([{ Name: 'jsforce 1' }, { Name: 'jsforce 2' }, { Phone: 'no name' }]);
  const upserted = await conn.sobject('Account').upsert({ Name: 'jsforce upsert', External_Id__c: 'JS-1' }, 'External_Id__c');
  const all = await fetchAll(conn, 'SELECT Id, Name FROM Account');
  await conn.sobject('Account').destroy(created[0].id);
  const deleted = await conn.query('SELECT Id, IsDeleted FROM Account WHERE IsDeleted = true', { scanAll: true }); // queryAll
  const live = await conn.query('SELECT COUNT() FROM Account');
  const bulk = await bulkQuery(conn, 'SELECT Id, Name FROM Account', false);
  const bulkDeleted = await bulkQuery(conn, 'SELECT Id, IsDeleted FROM Account WHERE IsDeleted = true', true);

  console.log(JSON.stringify({
    created: created.map((r) => ({ id: r.id || null, success: r.success, errors: (r.errors || []).map((e) => e.statusCode || e.errorCode) })),
    upsertCreated: upserted.created === true,
    fetched: all.length,
    distinctFetched: new Set(all.map((r) => r.Id)).size,
    deleted: deleted.records.map((r) => r.Id),
    liveCount: live.totalSize,
    bulkFetched: bulk.length,
    bulkDistinct: new Set(bulk.map((r) => r.Id)).size,
    bulkDeleted: bulkDeleted.map((r) => ({ id: r.Id, isDeleted: r.IsDeleted })),
  }));
}

main().catch((e) => {
  console.error(`jsforce check failed: ${e.name}: ${e.message}`);
  process.exit(1);
});
