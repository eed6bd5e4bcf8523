// Run by the mongodb-init container on every `docker-compose up` and by `make db-init`:
// initiates the replica set rs0 once, then makes sure each service has its own user with
// readWrite on its own database only (passwords from .env; a changed password is applied).
// Indexes are not made here: each service declares its own and creates them at start
// (spring.data.mongodb.auto-index-creation), so they cannot drift from the code.
const host = process.env.MONGO_RS_HOST || 'mongodb-primary:27017';

try {
  rs.status();
} catch (e) {
  if (e.codeName !== 'NotYetInitialized') throw e;
  print(`initiating replica set rs0 with ${host}`);
  rs.initiate({ _id: 'rs0', members: [{ _id: 0, host }] });
}
for (let i = 0; !db.hello().isWritablePrimary; i++) {
  if (i === 60) throw new Error('rs0 has no primary after 60 s');
  sleep(1000);
}

const users = [
  ['api_gateway', 'constellation_auth', 'MONGODB_AUTH_PASSWORD'],
  ['project_service', 'constellation_projects', 'MONGODB_PROJECT_PASSWORD'],
  ['claude_service', 'constellation_chat', 'MONGODB_CLAUDE_PASSWORD'],
  ['workspace_service', 'constellation_workspaces', 'MONGODB_WORKSPACE_PASSWORD'],
];
for (const [user, dbName, variable] of users) {
  const pwd = process.env[variable];
  if (!pwd) throw new Error(`${variable} is not set`);
  const target = db.getSiblingDB(dbName);
  const roles = [{ role: 'readWrite', db: dbName }];
  if (target.getUser(user)) {
    target.updateUser(user, { pwd, roles });
    print(`user ${user}: updated (readWrite on ${dbName})`);
  } else {
    target.createUser({ user, pwd, roles });
    print(`user ${user}: created (readWrite on ${dbName})`);
  }
}
print(`rs0 primary: ${db.hello().primary}`);
