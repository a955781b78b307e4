#!/usr/bin/env node
// Remote control of a running FFE server; the API capability fills it in.
process.stderr.write('ffe-ctl: the remote-control CLI needs the FFE API server, which is not part of this release yet\n');
process.exitCode = 1;
