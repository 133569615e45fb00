-- Neovim (0.7+) headless end-to-end run of charl-ls: route N of ../shared/EDITORS.md.
-- Reads a JSON spec from $CHARL_NVIM_SPEC: {cmd = {...}, root = "...", hover = {line, character},
-- definition = {line, character}}; opens the file given on the command line with filetype `charl`,
-- starts the server, waits for its diagnostics, asks for hover, definition and (when the server offers
-- it) formatting, and writes everything it saw as JSON to $CHARL_NVIM_OUT. Exits non-zero on any
-- missing answer, so a broken server fails the test even before its assertions.

local spec = vim.fn.json_decode(table.concat(vim.fn.readfile(os.getenv("CHARL_NVIM_SPEC")), "\n"))
local out_path = os.getenv("CHARL_NVIM_OUT")
local seen = { errors = {} }

local function finish()
  vim.fn.writefile({ vim.fn.json_encode(seen) }, out_path)
  if #seen.errors == 0 then
    vim.cmd("qall!")
  else
    vim.cmd("cquit! 3")
  end
end

local function request(client, bufnr, method, params, what)
  local response, err = client.request_sync(method, params, 10000, bufnr)
  if response == nil or response.err ~= nil then
    table.insert(seen.errors, what .. ": " .. vim.inspect(err or (response and response.err)))
    return nil
  end
  return response.result
end

local function position(bufnr, at)
  return { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = at[1], character = at[2] } }
end

local function main()
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = "charl" -- Neovim 0.7 takes *.ch for `chill`
  local published = false
  local client_id = vim.lsp.start_client({
    name = "charl-ls",
    cmd = spec.cmd,
    root_dir = spec.root,
    handlers = {
      ["textDocument/publishDiagnostics"] = function(err, params, ctx, config)
        vim.lsp.diagnostic.on_publish_diagnostics(err, params, ctx, config)
        if params.uri == vim.uri_from_bufnr(bufnr) then
          seen.published = params.diagnostics
          published = true
        end
      end,
    },
  })
  if client_id == nil then
    table.insert(seen.errors, "charl-ls did not start")
    return finish()
  end
  vim.lsp.buf_attach_client(bufnr, client_id)
  if not vim.wait(30000, function() return published end, 20) then
    table.insert(seen.errors, "no diagnostics within 30 s")
    return finish()
  end
  local client = vim.lsp.get_client_by_id(client_id)
  seen.shown = {}
  for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(seen.shown, { lnum = diagnostic.lnum, col = diagnostic.col, code = diagnostic.code,
      message = diagnostic.message, severity = diagnostic.severity })
  end
  seen.hover = request(client, bufnr, "textDocument/hover", position(bufnr, spec.hover), "hover")
  seen.definition = request(client, bufnr, "textDocument/definition", position(bufnr, spec.definition),
    "definition")
  local capabilities = client.server_capabilities or client.resolved_capabilities
  if capabilities.documentFormattingProvider or capabilities.document_formatting then
    seen.formatting = request(client, bufnr, "textDocument/formatting", {
      textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      options = { tabSize = 4, insertSpaces = true },
    }, "formatting") or vim.NIL
  end
  client.stop()
  vim.wait(5000, function() return client.is_stopped() end, 20)
  finish()
end

vim.api.nvim_create_autocmd("VimEnter", { callback = function() vim.schedule(main) end })
