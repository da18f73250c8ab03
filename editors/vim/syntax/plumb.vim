" Vim syntax file for Plumb network intents (*.plumb), for Vim 8+ and Neovim (also before 0.9,
" which has no other highlighting for the language). The keywords are the lexer's
" (language/grammar-tokens.ts) and the same as the VS Code grammar's
" (editors/vscode/syntaxes/plumb.tmLanguage.json); test/editors/vim-syntax.test.ts checks both.
" With the language server, semantic tokens colour names by what they resolve to on top of this.

if exists('b:current_syntax')
  finish
endif

" Names, keywords and platforms may contain `-` (`profile-group`, `cisco-iosxe`, `pg-primary`).
syntax iskeyword @,48-57,_,-
syntax case match

" Numbers first: an address or a port range that starts at the same place wins (defined later).
syntax match plumbNumber /\<\d\+\>/
syntax match plumbPort /\<\d\+-\d\+\>/
syntax match plumbAddress /\<\d\{1,3}\%(\.\d\{1,3}\)\{3}\%(\/\d\{1,3}\)\?\>/
syntax match plumbAddress /\%([[:alnum:]_.:-]\)\@<!\x*:\x*:[[:xdigit:]:.]*\%(\/\d\{1,3}\)\?\%([[:alnum:]_-]\)\@!/

" A device of a site, `site.device` (also a pinned interface `device:ifname` of a link).
syntax match plumbDevice /\<\a[[:alnum:]_-]*\.\a[[:alnum:]_-]*\>/
syntax match plumbInterface /\%([[:alnum:]_]\)\@<=:[[:alnum:]_][[:alnum:]_\/.-]*/

" The name a declaration introduces.
syntax match plumbName /\%(\<\%(network\|pool\|site\|segment\|host\|group\|external\|service\|secret\|policy\)\s\+\)\@<=\a[[:alnum:]_-]*/
syntax match plumbDeviceName /\%(\<\%(router\|firewall\)\s\+\)\@<=\a[[:alnum:]_-]*/

" Statements, by where they stand: top level, inside a block, and the clauses after them.
syntax keyword plumbDeclaration import export network routing pool site link segment host group external service policy assert manage secret security survive contract implements
syntax keyword plumbStatement router firewall asn prefixes attach announce password translate publish allow deny party meet announces offers
syntax keyword plumbClause loopback cost at zone vlan in address peer gateway via under failure failures of from env file authentication profile-group log-forwarding to overload
syntax keyword plumbProperty reach isolate
syntax keyword plumbConstant static ospf any tcp udp icmp
syntax keyword plumbPlatform cisco-iosxe paloalto-panos frr linux

syntax match plumbOperator /->\|--\|=/
syntax match plumbDelimiter /[{},:]/

syntax region plumbString start=/"/ skip=/\\./ end=/"\|$/ oneline contains=plumbEscape
syntax match plumbEscape /\\./ contained
syntax keyword plumbTodo TODO FIXME XXX NOTE contained
syntax match plumbComment /#.*$/ contains=plumbTodo,@Spell

highlight default link plumbComment Comment
highlight default link plumbTodo Todo
highlight default link plumbString String
highlight default link plumbEscape SpecialChar
highlight default link plumbDeclaration Keyword
highlight default link plumbStatement Statement
highlight default link plumbClause Keyword
highlight default link plumbProperty Keyword
highlight default link plumbConstant Constant
highlight default link plumbPlatform Type
highlight default link plumbName Identifier
highlight default link plumbDeviceName Identifier
highlight default link plumbDevice Identifier
highlight default link plumbInterface Special
highlight default link plumbAddress Number
highlight default link plumbNumber Number
highlight default link plumbPort Number
highlight default link plumbOperator Operator
highlight default link plumbDelimiter Delimiter

let b:current_syntax = 'plumb'
