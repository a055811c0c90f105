-- wrk script: profiles/import shaped like the seed article's second request, with a new email and phone each time.
-- Every thread numbers its requests; the run salt keeps runs apart.
local counter = 0
-- thread_id is a global that setup() gives each thread (a local here would shadow it: every thread would send the
-- same emails)
local salt = os.getenv("ROSTER_BENCH_SALT") or "0"
local token = os.getenv("ROSTER_TOKEN")
local db_id = os.getenv("ROSTER_DB_ID")
local phone_base = tonumber(os.getenv("ROSTER_BENCH_PHONE_BASE") or "0")
local threads = {}

function setup(thread)
    thread:set("thread_id", #threads)
    table.insert(threads, thread)
end

function init(args)
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    wrk.headers["Authorization"] = "Bearer " .. token
end

function request()
    counter = counter + 1
    local n = thread_id * 100000000 + counter
    local email = "user" .. salt .. "-" .. n .. "@example.com"
    local phone = string.format("+79%09d", (phone_base + thread_id * 10000000 + counter) % 1000000000)
    local body = '{"db_id":' .. db_id .. ',"matching":"email","email":"' .. email .. '","data":{"email":"' .. email
        .. '","_fname":"Ivan","_lname":"Petrov","_sex":"male","_bdate":"1990-01-15T12:00:00Z","_city":"Moscow",'
        .. '"phones":["' .. phone .. '"]}}'
    return wrk.format(nil, nil, nil, body)
end
