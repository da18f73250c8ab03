" Plumb network intents: *.plumb files get the `plumb` filetype.
autocmd BufRead,BufNewFile *.plumb setfiletype plumb
